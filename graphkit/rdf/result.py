"""A finished query's answer, whoever answered it (the embedded store or a SPARQL server).

It lives below both readers (graphkit.rdf.query, graphkit.rdf.remote), so neither
imports the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as KindLiteral

from rdflib import BNode, Graph, Literal, URIRef

Term = URIRef | BNode | Literal


@dataclass(frozen=True)
class QueryResult:
    """A finished query, detached from the store.

    ``kind`` is ``"select"`` (``variables`` + ``rows``; an unbound cell is None),
    ``"ask"`` (``boolean``) or ``"graph"`` for CONSTRUCT/DESCRIBE (``graph``).
    """

    kind: KindLiteral["select", "ask", "graph"]
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None


