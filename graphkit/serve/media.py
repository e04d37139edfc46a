"""Content negotiation and rendering of query results for the endpoint.

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", SELECT_TYPES, "json")
'xml'
>>> negotiate("*/*", SELECT_TYPES, "json"), negotiate("", GRAPH_TYPES, "turtle")
('json', 'turtle')
>>> negotiate("image/png", SELECT_TYPES, "json") is None
True
>>> acceptable("image/png"), acceptable("text/*"), acceptable("application/json;q=0")
(False, True, False)
"""

from __future__ import annotations

from typing import Any

from graphkit.rdf.query import QueryResult
from graphkit.rdf.terms import PREFIXES

SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
}
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
         "nt": "application/n-triples", "json-ld": "application/ld+json"}


def _ranked(accept: str) -> list[tuple[float, int, str]]:
    ranked = []
    for position, part in enumerate(p for p in accept.split(",") if p.strip()):
        media, *params = [x.strip() for x in part.split(";")]
        q = 1.0
        for param in params:
            if param.replace(" ", "").startswith("q="):
                try:
                    q = float(param.split("=", 1)[1])
                except ValueError:
                    q = 0.0
        if q > 0:  # q=0 means "not this one"
            ranked.append((-q, position, media.lower()))
    return sorted(ranked)


def negotiate(accept: str, kinds: dict[str, str], default: str) -> str | None:
    """The format name for the best acceptable media type (q-values honoured); None
    when the client accepts none of ``kinds`` (the caller answers 406)."""
    if not accept.strip():
        return default
    for _q, _pos, media in _ranked(accept):
        if media in kinds:
            return kinds[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            if MEDIA[default].startswith(media[:-1]):
                return default
            for name, fmt in kinds.items():
                if name.startswith(media[:-1]):
                    return fmt
    return None


def acceptable(accept: str) -> bool:
    """Whether any result (of any query form) could be sent to a client with ``accept``;
    checked before running the query, so an unanswerable request costs nothing."""
    return any(negotiate(accept, kinds, default) is not None
               for kinds, default in ((SELECT_TYPES, "json"), (GRAPH_TYPES, "turtle")))


def render(result: QueryResult, accept: str) -> tuple[str, bytes] | None:
    """(content type, body) of ``result`` in the format the client accepts best; None
    when it accepts none for this query form."""
    from graphkit.rdf.formats import format_result, results_tsv, results_xml

    if result.kind == "graph":
        fmt = negotiate(accept, GRAPH_TYPES, "turtle")
        if fmt is None:
            return None
        assert result.graph is not None
        kwargs: dict[str, Any] = {"context": dict(PREFIXES)} if fmt == "json-ld" else {}
        body = result.graph.serialize(None, fmt, None, "utf-8", **kwargs)
        return MEDIA[fmt], body
    fmt = negotiate(accept, SELECT_TYPES, "json")
    if fmt is None:
        return None
    if fmt == "tsv" and result.kind == "ask":
        fmt = "json"  # TSV and CSV have no boolean form; CSV prints true/false anyway
    text = {"json": lambda r: format_result(r, "json"), "csv": lambda r: format_result(r, "csv"),
            "xml": results_xml, "tsv": results_tsv}[fmt](result)
    return MEDIA[fmt] + "; charset=utf-8", text.encode("utf-8")
