"""graphkit's rules as an ASGI application: Host check, methods, bodies, routes, CORS.

The HTTP server below it (uvicorn, see :mod:`.http`) parses requests, holds the
connections and enforces the connection-level timeouts; everything a SPARQL endpoint
decides is here, so it is the same whichever server carries it:

* ``Host`` must be one the endpoint answers to (DNS rebinding), methods are GET, HEAD
  and POST (and OPTIONS for CORS preflights when ``--cors`` is on);
* bodies: at most :data:`MAX_BODY` bytes, exact ``Content-Length``, no chunked bodies,
  read within ``read_timeout`` seconds;
* ``/`` is the HTML view, ``/sparql`` the SPARQL 1.1 Protocol; GET ``/sparql`` without a
  query is the service description;
* queries run in the worker processes, at most one per worker at once; the rest wait
  (their wait counts against ``--timeout``).

Every refusal is one line of plain text.
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from graphkit.serve.describe import service_description
from graphkit.serve.endpoint import Endpoint
from graphkit.serve.guard import Refused

MAX_BODY = 1_000_000
CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_METHODS = ("GET", "HEAD", "POST")

Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]


def escape(text: str) -> str:
    """The client's text made safe for the operator's terminal.

    >>> escape("GET /\\x1b[2J")
    'GET /\\\\x1b[2J'
    """
    return text.translate(CONTROL)


class App:
    """The ASGI application of one endpoint."""

    def __init__(self, endpoint: Endpoint, hosts: frozenset[str] | None, *,
                 log: Callable[[str], None] | None = None) -> None:
        self.endpoint = endpoint
        self.options = endpoint.options
        self.hosts = hosts
        self.log = log
        self.cors = frozenset(endpoint.options.cors)
        size = endpoint.pool_size
        # At most one query per worker runs; the threads only wait on the workers' pipes.
        self.slots = asyncio.Semaphore(size)
        self.threads = ThreadPoolExecutor(max_workers=size + 1, thread_name_prefix="query")

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        started = time.monotonic()
        headers = {name.decode("latin-1"): value.decode("latin-1")
                   for name, value in scope["headers"]}
        extra: dict[str, str] = {}
        try:
            status, media, body, extra = await self._route(scope, headers, receive)
        except Refused as err:
            status, media = err.status, "text/plain; charset=utf-8"
            body = (" ".join(str(err).split()) + "\n").encode("utf-8")
            if status in (400, 408, 411, 413):
                extra = {"connection": "close"}  # where the body ended is unknown
            if status == 405:
                extra = {"allow": self._allowed()}
        except Exception as err:  # noqa: BLE001 - a bug is one request's 500, not a traceback
            message = " ".join(str(err).split()) or type(err).__name__
            self._log(f"internal error: {message}")
            status, media = 500, "text/plain; charset=utf-8"
            body, extra = f"internal error: {message}\n".encode(), {"connection": "close"}
        extra.update(self._cors_headers(headers))
        await _respond(send, status, media, body, extra)
        path = scope.get("raw_path") or scope["path"].encode()
        self._log(f'"{scope["method"]} {path.decode("latin-1")[:200]}" {status} '
                  f"{time.monotonic() - started:.3f} s")

    def _allowed(self) -> str:
        return ", ".join((*_METHODS, "OPTIONS") if self.cors else _METHODS)

    def _log(self, message: str) -> None:
        if self.log is not None:
            self.log(escape(message))

    async def _route(self, scope: dict[str, Any], headers: dict[str, str],
                     receive: Receive) -> tuple[int, str, bytes, dict[str, str]]:
        method, path = scope["method"], scope["path"]
        if self.hosts is not None and host_name(headers.get("host", "")) not in self.hosts:
            raise Refused(403, "unexpected Host header; this endpoint answers to "
                               + ", ".join(sorted(self.hosts)))
        if method == "OPTIONS" and self.cors:
            return 204, "text/plain", b"", self._preflight(headers)
        if method not in _METHODS:
            raise Refused(405, f"{method[:20]} is not supported; use GET or POST")
        body = await self._body(headers, receive) if method == "POST" else b""
        if path in ("/", "/index.html") and method != "POST":
            return 200, "text/html; charset=utf-8", self.endpoint.html(), {}
        if path != "/sparql":
            raise Refused(404, f"nothing at {path[:200]}; the endpoint is /sparql")
        accept = headers.get("accept", "")
        if method == "POST":
            kind, text = _operation(body, headers.get("content-type", ""))
        else:
            params = urllib.parse.parse_qs(scope["query_string"].decode("latin-1"))
            if "update" in params:
                raise Refused(405, "updates must be sent with POST")
            if "query" not in params:
                media, text_body = service_description(
                    self.options, f"http://{headers.get('host', '')}/sparql", accept)
                return 200, media, text_body, {}
            kind, text = "query", params["query"][0]
        return await self._run(kind, text, accept)

    async def _run(self, kind: str, text: str, accept: str
                   ) -> tuple[int, str, bytes, dict[str, str]]:
        deadline = time.monotonic() + self.options.timeout
        try:
            # asyncio.timeout, not wait_for: on 3.11 wait_for can time out just after the
            # acquire succeeded, and that slot would be lost for good.
            async with asyncio.timeout(self.options.timeout):
                await self.slots.acquire()
        except TimeoutError:
            raise Refused(503, f"every worker is busy; gave up after "
                               f"{self.options.timeout:g} s") from None
        try:
            loop = asyncio.get_running_loop()
            left = max(0.01, deadline - time.monotonic())
            if kind == "update":
                await loop.run_in_executor(self.threads, self.endpoint.update, text, left)
                return 204, "text/plain", b"", {}
            media, body = await loop.run_in_executor(self.threads, self.endpoint.query, text,
                                                     accept, left)
            return 200, media, body, {}
        finally:
            self.slots.release()

    async def _body(self, headers: dict[str, str], receive: Receive) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            raise Refused(411, "chunked bodies are not accepted; send Content-Length")
        raw = headers.get("content-length", "").strip()
        if not raw:
            return b""
        # The HTTP parser has already refused a length that is not a number.
        length = int(raw)
        if length > MAX_BODY:
            raise Refused(413, f"request body larger than {MAX_BODY} bytes")
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.options.read_timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except TimeoutError:
                raise Refused(408, "timed out reading the request body") from None
            if message["type"] != "http.request":
                raise Refused(400, "the client went away")
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if not message.get("more_body", False):
                break
        if size < length:
            raise Refused(400, "the body is shorter than its Content-Length")
        return b"".join(chunks)

    def _cors_headers(self, headers: dict[str, str]) -> dict[str, str]:
        """CORS headers for a request from an origin the operator named (none else)."""
        origin = headers.get("origin", "")
        if not self.cors or not origin:
            return {}
        if "*" in self.cors:
            return {"access-control-allow-origin": "*"}
        if origin in self.cors:
            return {"access-control-allow-origin": origin, "vary": "Origin"}
        return {}

    def _preflight(self, headers: dict[str, str]) -> dict[str, str]:
        if not self._cors_headers(headers):
            return {}  # no Access-Control-* headers: the browser refuses the request
        return {"access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
                "access-control-allow-headers": "Accept, Content-Type",
                "access-control-max-age": "600"}

    def close(self) -> None:
        self.threads.shutdown(wait=False, cancel_futures=True)


def _operation(raw: bytes, content_type: str) -> tuple[str, str]:
    body = raw.decode("utf-8", "replace")
    media = content_type.split(";")[0].strip().lower()
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


async def _respond(send: Send, status: int, media: str, body: bytes,
                   extra: dict[str, str]) -> None:
    headers = [(b"content-type", media.encode()),
               (b"content-length", str(len(body)).encode()),
               (b"x-content-type-options", b"nosniff")]
    headers += [(name.encode(), value.encode("latin-1")) for name, value in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


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
