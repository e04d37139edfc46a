"""The HTTP server: uvicorn (with the httptools parser) carrying graphkit's ASGI app.

Why uvicorn: ``benchmarks/serve_load.py --hypercorn`` runs this same app under both on 2
shared cores. Speed did not decide it: in three runs uvicorn answered 200 clients at
once in p50 211, 198 and 139 ms (hypercorn 689, 151 and 254), 1,000 in 906, 911 and 566
ms (2,027, 870 and 686), and 982, 728 and 1,338 requests/s at c=8 (535, 879 and 1,123);
the worker processes behind both cost the same, and the machine's other load moved each
figure more than the server did. What
decided it: hypercorn's own 400s have empty bodies and it holds an HTTP/0.9 ``GET /``
until its idle timeout, and it offers no hook to answer either, where uvicorn's protocol
class can be extended in a few lines (below) and its parser, llhttp, is in C. hypercorn
does cut slow request heads by itself; uvicorn needs the deadline added here. Waitress
(WSGI) was ruled out without a run: it stops accepting beyond ``connection_limit``
connections, so 300 slowloris connections would hold every other client out, and its
only timeout (``channel_timeout``) restarts with each byte a client drips.

What uvicorn lacks, :class:`_Protocol` adds, each a few lines over its protocol class:

* a deadline for the request head: uvicorn arms its keep-alive timer only after a
  response, so a client that connects and drips a header byte every few seconds (or
  sends nothing) would be held for ever. Here the whole head must arrive within
  ``read_timeout`` seconds of the connection (or of the previous response);
* a cap on open connections, answered with a one-line 503 at once;
* HTTP/0.9 request lines (``GET /`` and no version) and unknown methods refused at the
  first line, where llhttp would wait for headers or answer a bare 400;
* a client that half-closes before its body is complete gets its 400, not silence.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graphkit.serve.app import MAX_BODY, App, escape, host_name
from graphkit.serve.endpoint import Endpoint, ServeOptions

LOOPBACK = ("127.0.0.1", "::1", "localhost")
_WILDCARD = ("", "0.0.0.0", "::")
_KNOWN = (b"GET", b"HEAD", b"POST", b"OPTIONS")
_MAX_LINE = 65536  # as http.server had: longer GET queries go by POST
_BACKLOG = 2048  # the default 5 of socketserver left a burst of clients in SYN retries
# uvicorn's own warnings would go to stderr unescaped; the protocol logs its refusals.
_SILENT = logging.getLogger("graphkit.serve.uvicorn")
_SILENT.addHandler(logging.NullHandler())
_SILENT.propagate = False

__all__ = ["LOOPBACK", "MAX_BODY", "Server", "allowed_hosts", "host_name", "make_server"]


def _line(status: bytes, message: str, extra: bytes = b"") -> bytes:
    body = (message + "\n").encode("utf-8")
    return (b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n" + extra
            + b"connection: close\r\n\r\n" + body)


_BUSY = _line(b"503 Service Unavailable", "too many connections; try again")


def _protocol_class(options: ServeOptions, log: Callable[[str], None] | None) -> type:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    allow = b"GET, HEAD, POST, OPTIONS" if options.cors else b"GET, HEAD, POST"

    class _Protocol(HttpToolsProtocol):
        _deadline: asyncio.TimerHandle | None = None
        _head: bytes | None = b""  # the start of a request line not yet checked
        _request = b""  # the last request line, for the log
        _dropping = False  # refused: what the client still sends is not read

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.logger = _SILENT

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            if len(self.connections) > options.max_connections:
                self._linger(_BUSY)
                return
            self._arm()

        def _linger(self, answer: bytes) -> None:
            """Send ``answer`` and close gently: closing at once on request bytes not yet
            read makes the kernel send a reset, which can destroy the answer before the
            client reads it. So stop writing, drop what still comes, close soon after."""
            self._disarm()
            self._dropping = True
            self.transport.write(answer)
            if self.transport.can_write_eof():
                self.transport.write_eof()
            self.loop.call_later(0.5, self.transport.close)

        def _arm(self) -> None:
            self._disarm()
            self._head = b""
            self._deadline = self.loop.call_later(options.read_timeout, self._cut_off)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _cut_off(self) -> None:
            self._deadline = None
            if not self.transport.is_closing():
                self._linger(b"")  # a FIN the client reads as the end, not a reset

        def data_received(self, data: bytes) -> None:
            if self._dropping:
                return
            if self._deadline is not None and not self._check_line(data):
                return
            super().data_received(data)

        def _check_line(self, data: bytes) -> bool:
            """Whether the request line (as far as it has come) may be passed on."""
            if self._head is None:
                return True
            self._head += data[:_MAX_LINE]
            end = self._head.find(b"\n")
            if end < 0:
                if len(self._head) < _MAX_LINE:
                    return True
                self._refuse(self._head[:200], _line(b"414 URI Too Long", "the request "
                                                     f"line is longer than {_MAX_LINE} bytes"))
                return False
            line = self._head[:end].rstrip(b"\r")
            self._head, self._request = None, line  # checked; the rest is llhttp's
            words = line.split()
            if len(words) != 3 or not words[2].startswith(b"HTTP/1."):
                self._refuse(line, _line(b"400 Bad Request", "malformed request line; "
                                         "expected METHOD /path HTTP/1.x"))
                return False
            if words[0] not in _KNOWN:
                method = words[0][:20].decode("latin-1")
                self._refuse(line, _line(b"405 Method Not Allowed", f"{method} is not "
                                         "supported; use GET or POST", b"allow: " + allow
                                         + b"\r\n"))
                return False
            return True

        def _refuse(self, line: bytes, answer: bytes) -> None:
            if log is not None:
                log(escape(f'"{line[:200].decode("latin-1")}" {answer[9:12].decode()}'))
            self._linger(answer)

        def send_400_response(self, msg: str) -> None:
            # llhttp refused the request (a bad Content-Length, a control character):
            # one line, and the operator sees it.
            if log is not None:
                log(escape(f'"{self._request[:200].decode("latin-1")}" 400 (malformed)'))
            self._linger(_line(b"400 Bad Request", "malformed HTTP request"))

        def on_headers_complete(self) -> None:
            self._disarm()  # the app bounds the body read; the worker the query
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request on this connection gets its own deadline

        # asyncio's Protocol.eof_received may return True (keep the transport open).
        def eof_received(self) -> bool | None:  # type: ignore[override]
            cycle = self.cycle
            if cycle is not None and not cycle.response_complete and cycle.more_body:
                # The client stopped sending mid-body: end the body here, so the app
                # sees it short and answers 400, and keep the socket open to send it.
                cycle.more_body = False
                cycle.message_event.set()
                return True
            return None

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return _Protocol


class Server:
    """A ready HTTP server: ``serve_forever()`` runs it (on any thread), ``shutdown()``
    stops it from another, ``server_close()`` ends the workers and temporary stores."""

    def __init__(self, endpoint: Endpoint, app: App, listener: socket.socket,
                 options: ServeOptions, log: Callable[[str], None] | None) -> None:
        import uvicorn

        self.endpoint = endpoint
        self.app = app
        self.socket = listener
        self.server_address: tuple[str, int] = listener.getsockname()[:2]
        config = uvicorn.Config(
            app, http=_protocol_class(options, log), ws="none", lifespan="off",
            interface="asgi3", log_config=None, access_log=False, server_header=False,
            date_header=False, backlog=_BACKLOG,
            timeout_keep_alive=max(1, round(options.idle_timeout)),
            timeout_graceful_shutdown=1)
        self.uvicorn = uvicorn.Server(config)
        self.running = threading.Event()
        self.stopped = threading.Event()

    def serve_forever(self) -> None:
        self.stopped.clear()
        self.running.set()
        try:
            asyncio.run(self.uvicorn.serve(sockets=[self.socket]))
        finally:
            self.running.clear()
            self.stopped.set()

    def shutdown(self) -> None:
        self.uvicorn.should_exit = True
        if self.running.is_set():
            self.stopped.wait(10)

    def server_close(self) -> None:
        self.socket.close()
        self.app.close()
        self.endpoint.close()


def make_server(source: str | Path, options: ServeOptions | None = None, *,
                log: Callable[[str], None] | None = None) -> Server:
    """A ready (not yet serving) HTTP server; call ``serve_forever()`` on it."""
    options = options or ServeOptions()
    endpoint = Endpoint(source, options, log)
    try:
        listener = _listen(options.host, options.port)
    except OSError:
        endpoint.close()
        raise
    _enough_files(options.max_connections)
    return Server(endpoint, App(endpoint, allowed_hosts(options.host), log=log), listener,
                  options, log)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto named, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it Nagle's algorithm held every kept-alive answer back ~40 ms.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(_BACKLOG)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


def _enough_files(connections: int) -> None:
    """Raise the open-file limit so that ``connections`` sockets fit (a common soft
    limit is 1,024), as far as the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        top = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (top, hard))


def allowed_hosts(host: str) -> frozenset[str] | None:
    """Host header names the server answers (None: any, when bound to every address).

    Checking Host is what stops DNS rebinding: a web page on evil.example that resolves
    its own name to 127.0.0.1 still sends ``Host: evil.example``.

    >>> sorted(allowed_hosts("127.0.0.1"))
    ['127.0.0.1', '::1', '[::1]', 'localhost']
    >>> "kb.example" in allowed_hosts("kb.example"), allowed_hosts("0.0.0.0")
    (True, None)
    """
    if host in _WILDCARD:
        return None
    names = {*LOOPBACK, "[::1]", host.lower()}
    if ":" in host:
        names.add(f"[{host.lower()}]")
    return frozenset(names)
