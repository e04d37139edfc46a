"""The HTTP side: strict request parsing, Host checks, and the routes / and /sparql."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from graphkit.serve.endpoint import Endpoint, ServeOptions
from graphkit.serve.guard import Refused

MAX_BODY = 1_000_000
LOOPBACK = ("127.0.0.1", "::1", "localhost")
_WILDCARD = ("", "0.0.0.0", "::")
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
         b"Content-Length: 32\r\nConnection: close\r\n\r\ntoo many connections; try again\n")


class Server(ThreadingHTTPServer):
    """The HTTP server; closing it also ends the workers and removes temporary stores.

    At most ``max_connections`` connections are served at once (one thread each); one
    more is told 503 and closed at once, so a flood of idle clients cannot pile up
    threads without bound.
    """

    daemon_threads = True
    request_queue_size = 128  # the default 5 leaves a burst of clients in SYN retries
    endpoint: Endpoint
    slots: threading.BoundedSemaphore

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):  # a client that has gone needs no answer
                request.sendall(_BUSY)
                request.shutdown(socket.SHUT_WR)
            # No lingering close here: this runs on the accepting thread, which must not wait.
            self.close_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def shutdown_request(self, request: Any) -> None:
        # A lingering close: after a refusal the client may still be sending a body we
        # never read, and closing on unread data makes the kernel send a reset that can
        # destroy the refusal before the client reads it. So stop writing, then drain
        # (briefly, boundedly) before closing.
        with contextlib.suppress(OSError):
            request.shutdown(socket.SHUT_WR)
            request.settimeout(0.5)
            drained = 0
            while drained < MAX_BODY and (chunk := request.recv(65536)):
                drained += len(chunk)
        self.close_request(request)

    def server_close(self) -> None:
        super().server_close()
        self.endpoint.close()


def make_server(source: str | Path, options: ServeOptions | None = None, *,
                log: Callable[[str], None] | None = None) -> Server:
    """A ready (not yet serving) HTTP server; call ``serve_forever()`` on it."""
    options = options or ServeOptions()
    endpoint = Endpoint(source, options)

    class Handler(_Handler):
        pass

    Handler.endpoint = endpoint
    Handler.log = staticmethod(log) if log else None
    Handler.timeout = options.read_timeout
    Handler.hosts = allowed_hosts(options.host)
    try:
        server = Server((options.host, options.port), Handler)
    except OSError:
        endpoint.close()
        raise
    server.endpoint = endpoint
    server.slots = threading.BoundedSemaphore(options.max_connections)
    return server


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


def host_name(header: str) -> str:
    """The Host header without its port.

    >>> host_name("localhost:8000"), host_name("[::1]:80"), host_name("::1")
    ('localhost', '[::1]', '::1')
    """
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1]
    if header.count(":") == 1:
        return header.split(":")[0]
    return header


class _Handler(BaseHTTPRequestHandler):
    endpoint: Endpoint
    log: Callable[[str], None] | None = None
    raw_requestline: bytes
    _deadline: threading.Timer
    hosts: frozenset[str] | None = None
    server_version = "graphkit"
    protocol_version = "HTTP/1.1"
    # http.server's own errors (bad request lines, over-long headers) as one line too.
    error_message_format = "%(message)s\n"
    error_content_type = "text/plain; charset=utf-8"

    def log_message(self, format: str, *args: Any) -> None:
        if self.log is not None:
            # Request lines are the client's text: escape control characters so none
            # can rewrite the operator's terminal.
            self.log((format % args).translate(_CONTROL))

    def handle_one_request(self) -> None:
        # The socket timeout bounds each read, not the request: a client sending a byte
        # every few seconds would hold its thread for ever. A timer cuts the connection
        # once ``timeout`` seconds pass before the whole request has arrived.
        self._deadline = threading.Timer(self.timeout or 10.0, self._cut_off)
        self._deadline.daemon = True
        self._deadline.start()
        try:
            super().handle_one_request()
        finally:
            self._deadline.cancel()

    def _cut_off(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RD)

    def _received(self) -> None:
        """The whole request is in: running it is bounded by the query timeout instead."""
        self._deadline.cancel()

    def parse_request(self) -> bool:
        # HTTP/0.9 ("GET /" and no headers) would otherwise wait for headers that never
        # come; only "METHOD target HTTP/x.y" is a request here.
        words = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n").split()
        if len(words) != 3 or not words[2].startswith("HTTP/1."):
            self.command, self.requestline = "", " ".join(words)[:200]
            self.request_version = "HTTP/1.0"  # so the error goes out with a status line
            self.close_connection = True
            self.send_error(400, "malformed request line; expected METHOD /path HTTP/1.x")
            return False
        if not super().parse_request():
            return False
        if self.command not in ("GET", "HEAD", "POST"):
            self.close_connection = True
            self._fail(Refused(405, f"{self.command[:20]} is not supported; use GET or POST"),
                       {"Allow": "GET, HEAD, POST"})
            return False
        if self.hosts is not None and host_name(self.headers.get("Host") or "") not in self.hosts:
            self.close_connection = True
            self._fail(Refused(403, "unexpected Host header; this endpoint answers to "
                                    + ", ".join(sorted(self.hosts))))
            return False
        return True

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        # One line, no HTML, and never a traceback.
        super().send_error(code, " ".join((message or self.responses.get(code, ("",))[0])
                                          .split()))

    def do_HEAD(self) -> None:  # noqa: N802 - the http.server naming scheme
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        self._received()
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", self.endpoint.html())
        elif url.path == "/sparql":
            params = urllib.parse.parse_qs(url.query)
            if "update" in params:
                self._fail(Refused(405, "updates must be sent with POST"))
            elif "query" not in params:
                self._fail(Refused(400, "missing the query parameter"))
            else:
                self._answer(params["query"][0])
        else:
            self._fail(Refused(404, f"nothing at {url.path}; the endpoint is /sparql"))

    def do_POST(self) -> None:  # noqa: N802
        try:
            body = self._body()  # read even when refusing, so the connection stays in step
            self._received()
            if urllib.parse.urlsplit(self.path).path != "/sparql":
                raise Refused(404, "the endpoint is /sparql")
            kind, text = self._operation(body)
            if kind == "query":
                self._answer(text)
                return
            self.endpoint.update(text)
            self._send(204, "text/plain", b"")
        except Refused as err:
            self._fail(err)
        except Exception as err:  # noqa: BLE001
            self._internal(err)

    def _internal(self, err: Exception) -> None:
        self.close_connection = True
        message = " ".join(str(err).split()) or type(err).__name__
        self.log_message("internal error: %s", message)
        self._fail(Refused(500, f"internal error: {message}"))

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            raise Refused(411, "chunked bodies are not accepted; send Content-Length")
        raw = (self.headers.get("Content-Length") or "").strip()
        if not raw:
            return b""
        if not (raw.isascii() and raw.isdigit()) or len(self.headers.get_all("Content-Length")
                                                         or []) > 1:
            # Where the body ends is unknown, so is where a next request would start.
            self.close_connection = True
            raise Refused(400, f"bad Content-Length {raw[:40]!r}")
        length = int(raw)
        if length > MAX_BODY:
            self.close_connection = True
            raise Refused(413, f"request body larger than {MAX_BODY} bytes")
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise Refused(408, "timed out reading the request body") from None
        if len(body) < length:
            self.close_connection = True
            if not self._deadline.is_alive():
                raise Refused(408, "timed out reading the request body")
            raise Refused(400, "the body is shorter than its Content-Length")
        return body

    def _operation(self, raw: bytes) -> tuple[str, str]:
        body = raw.decode("utf-8", "replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-query":
            return "query", body
        if media == "application/sparql-update":
            return "update", body
        if media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body)
            for kind in ("query", "update"):
                if kind in form:
                    return kind, form[kind][0]
            raise Refused(400, "the form has neither a query nor an update parameter")
        raise Refused(415, f"unsupported content type {media or '(none)'}")

    def _answer(self, text: str) -> None:
        started = time.monotonic()
        try:
            content_type, body = self.endpoint.query(text, self.headers.get("Accept") or "")
        except Refused as err:
            self._fail(err)
            return
        except Exception as err:  # noqa: BLE001 - a bug is one request's 500, not a traceback
            self._internal(err)
            return
        self._send(200, content_type, body)
        if self.log is not None:
            self.log(f"query answered in {time.monotonic() - started:.3f} s")

    def _fail(self, err: Refused, headers: dict[str, str] | None = None) -> None:
        message = " ".join(str(err).split())
        self._send(err.status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"),
                   headers)

    def _send(self, status: int, content_type: str, body: bytes,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
