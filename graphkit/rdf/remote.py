"""Any SPARQL 1.1 server as the store: push a build, run queries (standard library HTTP).

Writing uses the Graph Store Protocol (``PUT`` the whole graph as Turtle, which the
server replaces in one request) or, for an endpoint whose last path segment is
``update``, ``sparql`` or ``statements``, SPARQL Update: ``INSERT DATA`` in chunks into a
temporary named graph (``urn:graphkit:upload:<random>``), then one update request that
moves it over the default graph. A transfer that fails or is killed halfway leaves the
default graph as it was (a failed one also drops its temporary graph). A GSP URL
without a query string targets the default graph (``?default``); add ``?graph=IRI``
for a named one.

>>> is_url("http://127.0.0.1:7878/query"), is_url("out/")
(True, False)
>>> update_endpoint("http://h/ds/update"), update_endpoint("http://h/store")
(True, False)
"""

from __future__ import annotations

import contextlib
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from graphkit.errors import OutputError, QueryError
from graphkit.rdf.result import QueryResult, Term
from graphkit.rdf.terms import bind_prefixes, with_prefixes

TIMEOUT = 60.0
INSERT_CHUNK = 5000  # triples per INSERT DATA request
UPLOAD_GRAPH = "urn:graphkit:upload:"  # + random: where an update transfer is staged
_UPDATE_SEGMENTS = {"update", "sparql", "statements"}
_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
           "text/turtle;q=0.8, application/sparql-results+xml;q=0.5")
_RDF_TYPES = {"application/n-triples": "nt", "text/turtle": "turtle",
              "application/rdf+xml": "xml", "application/ld+json": "json-ld",
              "text/plain": "nt"}


def is_url(source: object) -> bool:
    """Whether a query source or store names an HTTP(S) server rather than a path."""
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def update_endpoint(url: str) -> bool:
    """Whether ``url`` is taken for a SPARQL Update endpoint (else Graph Store Protocol)."""
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    return path.rsplit("/", 1)[-1].lower() in _UPDATE_SEGMENTS


def push_graph(url: str, graph: Graph, timeout: float = TIMEOUT) -> None:
    """Replace the target graph of the server at ``url`` with ``graph``."""
    try:
        if update_endpoint(url):
            _push_update(url, graph, timeout)
        else:
            target = url if urllib.parse.urlsplit(url).query else url + "?default"
            body = graph.serialize(format="turtle", encoding="utf-8")
            _request(target, body, "text/turtle; charset=utf-8", timeout, method="PUT")
    except QueryError as err:
        raise OutputError(f"cannot write to the store {url}: {err}") from None


def _push_update(url: str, graph: Graph, timeout: float) -> None:
    lines = sorted(graph.serialize(format="nt", encoding="utf-8").decode().splitlines())
    lines = [line for line in lines if line.strip()]
    upload = f"<{UPLOAD_GRAPH}{secrets.token_hex(8)}>"
    try:
        _update(url, f"DROP SILENT GRAPH {upload}", timeout)
        for i in range(0, len(lines), INSERT_CHUNK):
            chunk = "\n".join(lines[i:i + INSERT_CHUNK])
            _update(url, f"INSERT DATA {{ GRAPH {upload} {{\n{chunk}\n}} }}", timeout)
        # One request, so one transaction: the old default graph, or all of the new one.
        # MOVE of a graph that was never created (an empty build) fails; ADD does not.
        _update(url, f"CLEAR SILENT DEFAULT ; ADD SILENT GRAPH {upload} TO DEFAULT ; "
                     f"DROP SILENT GRAPH {upload}", timeout)
    except QueryError:
        # If the server is gone too, the temporary graph is all that is left over.
        with contextlib.suppress(QueryError):
            _update(url, f"DROP SILENT GRAPH {upload}", timeout)
        raise


def _update(url: str, update: str, timeout: float) -> None:
    body = urllib.parse.urlencode({"update": update}).encode("ascii")
    _request(url, body, "application/x-www-form-urlencoded", timeout)


def remote_query(url: str, query: str, timeout: float = TIMEOUT) -> QueryResult:
    """Run ``query`` at the SPARQL 1.1 Protocol endpoint ``url`` (form POST)."""
    body = urllib.parse.urlencode({"query": with_prefixes(query)}).encode("utf-8")
    content_type, data = _request(url, body, "application/x-www-form-urlencoded", timeout,
                                  accept=_ACCEPT)
    if content_type in ("application/sparql-results+json", "application/json"):
        return _json_result(data)
    rdf_format = _RDF_TYPES.get(content_type)
    if rdf_format is None:
        raise QueryError(f"{url} answered with unsupported content type {content_type!r}")
    graph = bind_prefixes(Graph())
    try:
        graph.parse(data=data, format=rdf_format)
    except Exception as err:  # rdflib parsers raise many unrelated types
        detail = " ".join(str(err).split())
        raise QueryError(f"cannot parse the answer of {url}: {detail}") from None
    return QueryResult(kind="graph", graph=graph)


def _request(url: str, body: bytes, content_type: str, timeout: float, *,
             method: str = "POST", accept: str = "*/*") -> tuple[str, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers={
        "Content-Type": content_type, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            return kind, response.read()
    except urllib.error.HTTPError as err:
        detail = " ".join(err.read().decode("utf-8", "replace").split())[:300]
        raise QueryError(f"{url} answered HTTP {err.code}: {detail or err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise QueryError(f"cannot reach {url}: {reason}") from None


def _json_result(data: bytes) -> QueryResult:
    try:
        document = json.loads(data)
    except ValueError:
        raise QueryError("the server sent malformed SPARQL JSON results") from None
    if "boolean" in document:
        return QueryResult(kind="ask", boolean=bool(document["boolean"]))
    variables = tuple(document.get("head", {}).get("vars", []))
    rows = tuple(tuple(_term(binding.get(name)) for name in variables)
                 for binding in document.get("results", {}).get("bindings", []))
    return QueryResult(kind="select", variables=variables, rows=rows)


def _term(cell: dict[str, Any] | None) -> Term | None:
    """A SPARQL JSON results term as the equal rdflib term."""
    if cell is None:
        return None
    kind, value = cell.get("type"), str(cell.get("value", ""))
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in cell:
        return Literal(value, lang=cell["xml:lang"])
    datatype = cell.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype else None, normalize=False)
