"""Content negotiation, and results written by Oxigraph's own serializers.

Each query form has its own table of media types, and each format name maps to exactly
one media type: RDF/XML is ``rdfxml``, never the results-XML ``xml``, so a CONSTRUCT
asked for as ``application/rdf+xml`` comes back labelled so.

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", SELECT_TYPES, "json")
'xml'
>>> negotiate("*/*", SELECT_TYPES, "json"), negotiate("", GRAPH_TYPES, "turtle")
('json', 'turtle')
>>> MEDIA[negotiate("application/rdf+xml", GRAPH_TYPES, "turtle")]
'application/rdf+xml'
>>> negotiate("image/png", SELECT_TYPES, "json") is None
True
>>> acceptable("image/png"), acceptable("text/*"), acceptable("application/json;q=0")
(False, True, False)
"""

from __future__ import annotations

import io
from typing import Any

from graphkit.serve.guard import Refused

SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "nt", "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld", "application/x-json+ld": "jsonld",
    "text/n3": "n3", "text/rdf+n3": "n3",
}
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
         "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
         "nt": "application/n-triples", "rdfxml": "application/rdf+xml",
         "jsonld": "application/ld+json", "n3": "text/n3"}
# pyoxigraph's names for them.
_RESULTS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
RDF_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "rdfxml": "RDF_XML", "jsonld": "JSON_LD",
           "n3": "N3"}


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


def content_type(fmt: str) -> str:
    return MEDIA[fmt] + "; charset=utf-8"


class _RowCounter(io.RawIOBase):
    """A TSV sink that stops the serializer once it has written more than ``limit`` rows:
    TSV writes one line per solution (newlines inside literals are escaped), so counting
    line ends counts rows exactly, header line aside."""

    def __init__(self, limit: int) -> None:
        self.limit, self.lines, self.chunks = limit, 0, io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.lines += bytes(data).count(b"\n")
        if self.lines - 1 > self.limit:
            raise _TooMany
        return self.chunks.write(data)


class _TooMany(Exception):
    pass


def too_many(max_rows: int) -> Refused:
    return Refused(400, f"the result has more than {max_rows} rows; add a LIMIT")


def render(answer: Any, accept: str, max_rows: int,
           prefixes: dict[str, str] | None = None) -> tuple[str, bytes] | None:
    """(content type, body) of a pyoxigraph query answer in the format the client
    accepts best; None when it accepts none for this query form; Refused(400) past
    ``max_rows`` rows (or triples)."""
    import pyoxigraph

    if isinstance(answer, pyoxigraph.QueryTriples):
        fmt = negotiate(accept, GRAPH_TYPES, "turtle")
        if fmt is None:
            return None
        triples = []
        for count, triple in enumerate(answer):
            if count >= max_rows:
                raise too_many(max_rows)
            triples.append(triple)
        body = pyoxigraph.serialize(triples, format=getattr(pyoxigraph.RdfFormat, RDF_FORMATS[fmt]),
                                    prefixes=prefixes)
        return content_type(fmt), body or b""
    fmt = negotiate(accept, SELECT_TYPES, "json")
    if fmt is None:
        return None
    formats = pyoxigraph.QueryResultsFormat
    if isinstance(answer, pyoxigraph.QueryBoolean):
        if fmt == "tsv":
            fmt = "json"  # TSV has no boolean form; CSV prints true/false
        return content_type(fmt), answer.serialize(format=getattr(formats, _RESULTS[fmt])) or b""
    # The row limit is counted on TSV (exact, and it stops a runaway result early); the
    # TSV is then read back and written in the asked format, all inside Oxigraph.
    sink = _RowCounter(max_rows)
    try:
        answer.serialize(sink, format=formats.TSV)
    except _TooMany:
        raise too_many(max_rows) from None
    tsv = sink.chunks.getvalue()
    if fmt == "tsv":
        return content_type(fmt), tsv
    solutions = pyoxigraph.parse_query_results(tsv, format=formats.TSV)
    return content_type(fmt), solutions.serialize(format=getattr(formats, _RESULTS[fmt])) or b""
