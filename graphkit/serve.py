"""A SPARQL 1.1 Protocol endpoint over a build: ``/sparql`` for queries, ``/`` for the view.

Safe by default: bound to loopback, read-only (SPARQL Update is refused unless the
operator passes ``allow_updates``), ``SERVICE`` and ``LOAD`` always refused, every query
cut off after ``timeout`` seconds and refused beyond ``max_rows`` results, request
bodies limited to 1 MB, and no CORS headers, so other web pages cannot read it.

>>> ServeOptions().host, ServeOptions().allow_updates
('127.0.0.1', False)
>>> refused_operation("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
'SERVICE'
>>> refused_operation('SELECT ?service { ?service <http://x/load> "LOAD" } # LOAD')
"""

from __future__ import annotations

import re
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from graphkit.errors import QueryError
from graphkit.rdf.query import QueryResult, to_rdflib
from graphkit.rdf.terms import PREFIXES, bind_prefixes

MAX_BODY = 1_000_000
LOOPBACK = ("127.0.0.1", "::1", "localhost")
_SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES = {
    "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
}
_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
          "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
          "nt": "application/n-triples", "json-ld": "application/ld+json"}
# Strings, IRIs and comments cannot hide a keyword; variables and prefixed names are not one.
_NOISE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                    r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_KEYWORD = re.compile(r"(?<![\w?$:])(SERVICE|LOAD)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    allow_updates: bool = False
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 4


class Refused(Exception):
    """A request the endpoint will not run; carries the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def refused_operation(text: str) -> str | None:
    """``SERVICE`` or ``LOAD`` when the SPARQL text uses one, else None."""
    match = _KEYWORD.search(_NOISE.sub(" ", text))
    return match.group(1).upper() if match else None


class Endpoint:
    """The store behind the server and the rules for running requests against it."""

    def __init__(self, source: str | Path, options: ServeOptions) -> None:
        self.source = Path(source)
        self.options = options
        self.store = _open(self.source, options.allow_updates)
        self.pool = ThreadPoolExecutor(max_workers=options.workers)

    def html(self) -> bytes:
        view = self.source / "graph.html" if self.source.is_dir() else None
        if view is not None and view.is_file():
            return view.read_bytes()
        return (b"<!doctype html><meta charset='utf-8'><title>graphkit</title>"
                b"<p>SPARQL endpoint at <a href='/sparql'>/sparql</a>.</p>")

    def query(self, text: str) -> QueryResult:
        operation = refused_operation(text)
        if operation:
            raise Refused(403, f"{operation} is not allowed on this endpoint")
        cancel = threading.Event()
        future = self.pool.submit(self._run_contained, text, cancel)
        try:
            outcome = future.result(timeout=self.options.timeout)
        except FutureTimeout:
            cancel.set()
            raise Refused(503, f"query timed out after {self.options.timeout:g} s") from None
        if isinstance(outcome, Refused):
            raise outcome
        return outcome

    def _run_contained(self, text: str, cancel: threading.Event) -> QueryResult | Refused:
        """Run a query on the worker thread and return a refusal as a value: Oxigraph's
        result iterators may only be dropped on the thread that made them, and a raised
        exception would carry them (through its traceback) to the request thread."""
        try:
            return self._run(text, cancel)
        except Refused as refused:
            return Refused(refused.status, str(refused))

    def _run(self, text: str, cancel: threading.Event) -> QueryResult:
        import pyoxigraph

        try:
            answer = self.store.query(text, prefixes=dict(PREFIXES),
                                      use_default_graph_as_union=True)
        except SyntaxError as err:
            raise Refused(400, f"SPARQL syntax error: {' '.join(str(err).split())}") from None
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QueryTriples):
            graph = bind_prefixes(__import__("rdflib").Graph())
            for count, t in enumerate(answer):
                self._check(count, cancel)
                graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
            return QueryResult(kind="graph", graph=graph)
        names = tuple(v.value for v in answer.variables)
        rows = []
        for count, solution in enumerate(answer):
            self._check(count, cancel)
            rows.append(tuple(None if solution[n] is None else to_rdflib(solution[n])
                              for n in names))
        return QueryResult(kind="select", variables=names, rows=tuple(rows))

    def _check(self, count: int, cancel: threading.Event) -> None:
        if cancel.is_set():
            raise Refused(503, "query cancelled after the timeout")
        if count >= self.options.max_rows:
            raise Refused(400, f"the result has more than {self.options.max_rows} rows; "
                               "add a LIMIT")

    def update(self, text: str) -> None:
        if not self.options.allow_updates:
            raise Refused(403, "updates are disabled; the operator must start the server "
                               "with --allow-updates")
        operation = refused_operation(text)
        if operation:
            raise Refused(403, f"{operation} is not allowed on this endpoint")
        try:
            self.store.update(text, prefixes=dict(PREFIXES))
        except SyntaxError as err:
            raise Refused(400, f"SPARQL syntax error: {' '.join(str(err).split())}") from None


def _open(source: Path, writable: bool) -> Any:
    """The source's store: read-only by default; writable (or an in-memory copy) on request."""
    import pyoxigraph

    from graphkit.rdf.store import STORE_DIR, load_source

    if writable and source.is_dir():
        folder = source / STORE_DIR if (source / STORE_DIR / "CURRENT").is_file() else source
        if (folder / "CURRENT").is_file():
            try:
                return pyoxigraph.Store(str(folder))
            except OSError as err:
                raise QueryError(f"cannot open {folder} for updates: {err}") from None
    return load_source(source)


def negotiate(accept: str, kinds: dict[str, str], default: str) -> str:
    """The format name for the best acceptable media type (q-values honoured).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", _SELECT_TYPES, "json")
    'xml'
    >>> negotiate("*/*", _SELECT_TYPES, "json"), negotiate("", _GRAPH_TYPES, "turtle")
    ('json', 'turtle')
    """
    ranked = []
    for position, part in enumerate(p for p in accept.split(",") if p.strip()):
        media, *params = [x.strip() for x in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, position, media.lower()))
    for _q, _pos, media in sorted(ranked):
        if media in kinds:
            return kinds[media]
    return default


def render(result: QueryResult, accept: str) -> tuple[str, bytes]:
    """(content type, body) of ``result`` in the format the client accepts best."""
    from graphkit.rdf.formats import format_result, results_tsv, results_xml

    if result.kind == "graph":
        fmt = negotiate(accept, _GRAPH_TYPES, "turtle")
        assert result.graph is not None
        kwargs: dict[str, Any] = {"context": dict(PREFIXES)} if fmt == "json-ld" else {}
        body = result.graph.serialize(None, fmt, None, "utf-8", **kwargs)
        return _MEDIA[fmt], body
    fmt = negotiate(accept, _SELECT_TYPES, "json")
    if fmt == "tsv" and result.kind == "ask":
        fmt = "json"  # TSV and CSV have no boolean form; CSV prints true/false anyway
    text = {"json": lambda r: format_result(r, "json"), "csv": lambda r: format_result(r, "csv"),
            "xml": results_xml, "tsv": results_tsv}[fmt](result)
    return _MEDIA[fmt] + "; charset=utf-8", text.encode("utf-8")


def make_server(source: str | Path, options: ServeOptions = ServeOptions(), *,
                log: Callable[[str], None] | None = None) -> ThreadingHTTPServer:
    """A ready (not yet serving) HTTP server; call ``serve_forever()`` on it."""
    endpoint = Endpoint(source, options)

    class Handler(_Handler):
        pass

    Handler.endpoint = endpoint
    Handler.log = staticmethod(log) if log else None
    server = ThreadingHTTPServer((options.host, options.port), Handler)
    server.daemon_threads = True
    return server


class _Handler(BaseHTTPRequestHandler):
    endpoint: Endpoint
    log: Callable[[str], None] | None = None
    server_version = "graphkit"

    def log_message(self, format: str, *args: Any) -> None:
        if self.log is not None:
            self.log(format % args)

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming scheme
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
        if urllib.parse.urlsplit(self.path).path != "/sparql":
            self._fail(Refused(404, "the endpoint is /sparql"))
            return
        try:
            kind, text = self._operation()
        except Refused as err:
            self._fail(err)
            return
        if kind == "query":
            self._answer(text)
            return
        try:
            self.endpoint.update(text)
            self._send(204, "text/plain", b"")
        except Refused as err:
            self._fail(err)

    def _operation(self) -> tuple[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise Refused(413, f"request body larger than {MAX_BODY} bytes")
        body = self.rfile.read(length).decode("utf-8", "replace")
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
            result = self.endpoint.query(text)
            content_type, body = render(result, self.headers.get("Accept") or "")
        except Refused as err:
            self._fail(err)
            return
        except (OSError, ValueError, RuntimeError) as err:
            self._fail(Refused(500, f"query failed: {' '.join(str(err).split())}"))
            return
        self._send(200, content_type, body)
        if self.log is not None:
            self.log(f"query answered in {time.monotonic() - started:.3f} s")

    def _fail(self, err: Refused) -> None:
        self._send(err.status, "text/plain; charset=utf-8", (str(err) + "\n").encode("utf-8"))

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
