"""The network takes an asserted tie's corroboration from the corpus aggregate."""

from __future__ import annotations

from graphkit.corpus import enrich
from graphkit.model import Document, Entity, Evidence, Statement
from graphkit.network import to_networkx
from graphkit.rdf import statements_to_graph
from graphkit.vocab import EntityType, Modality, Relation

A = Entity("red-delta-army", "Red Delta Army", EntityType.MILITANT_GROUP)
B = Entity("free-coast-brigades", "Free Coast Brigades", EntityType.MILITANT_GROUP)


def claim(doc: str, modality: Modality, year: int | None, confidence: float) -> Statement:
    sentence = "The Red Delta Army allied with the Free Coast Brigades."
    return Statement(A, Relation.ALLIED_WITH, B, modality, confidence, year,
                     Evidence(doc, sentence, 0, len(sentence)))


def test_asserted_edge_counts_come_from_the_aggregate():
    statements = [claim("d1", Modality.ASSERTED, 2014, 0.7),
                  claim("d2", Modality.ASSERTED, 2016, 0.6),
                  claim("d3", Modality.NEGATED, None, 0.8)]
    docs = [Document(i, "x", source=src) for i, src in (("d1", "wire"), ("d2", "wire"),
                                                         ("d3", "paper"))]
    graph = statements_to_graph(statements, docs)
    enrich(graph)
    network = to_networkx(graph, analyse=False)
    first, second = sorted([A.iri, B.iri])  # symmetric ties point from the smaller IRI
    asserted = network.edges[first, second, "alliedWith|asserted"]
    assert (asserted["weight"], asserted["documents"], asserted["sources"]) == (2, 2, 1)
    assert (asserted["first_year"], asserted["last_year"]) == (2014, 2016)
    # rolled up over the two documents (noisy-or), above either statement alone
    assert asserted["confidence"] > 0.7
    denied = network.edges[first, second, "alliedWith|negated"]
    assert denied["weight"] == 1
