"""The corpus layer: evidence aggregates and contradictions over all statements of a build.

>>> from rdflib import Graph
>>> from graphkit.model import Entity, Evidence, Statement
>>> from graphkit.rdf import statements_to_graph
>>> from graphkit.vocab import GK, EntityType, Modality, Relation
>>> a = Entity("a", "A", EntityType.MILITANT_GROUP)
>>> b = Entity("b", "B", EntityType.MILITANT_GROUP)
>>> sts = [Statement(a, Relation.ALLIED_WITH, b, modality, 0.8, None,
...                  Evidence(doc, "A and B.", 0, 8))
...        for doc, modality in [("d1", Modality.ASSERTED), ("d2", Modality.NEGATED)]]
>>> graph = enrich(statements_to_graph(sts))
>>> len(list(graph.subjects(None, GK.Aggregate))), len(list(graph.subjects(None, GK.Contradiction)))
(1, 1)
"""

from __future__ import annotations

from rdflib import Graph

from graphkit.corpus.aggregate import (
    Aggregate,
    Row,
    add_aggregates,
    aggregate_iri,
    aggregate_rows,
    read_rows,
    remove_corpus_nodes,
    rolled_up_confidence,
)
from graphkit.corpus.contradictions import (
    KINDS,
    Contradiction,
    add_contradictions,
    find_contradictions,
)

__all__ = [
    "KINDS",
    "Aggregate",
    "Contradiction",
    "Row",
    "aggregate_iri",
    "aggregate_rows",
    "enrich",
    "find_contradictions",
    "read_rows",
    "rolled_up_confidence",
]


def enrich(graph: Graph) -> Graph:
    """(Re)compute the aggregate and contradiction nodes of ``graph`` in place; return it."""
    remove_corpus_nodes(graph)
    rows = read_rows(graph)
    add_aggregates(graph, aggregate_rows(rows))
    add_contradictions(graph, find_contradictions(rows))
    return graph
