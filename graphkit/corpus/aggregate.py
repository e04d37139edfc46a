"""Evidence aggregation: one ``gk:Aggregate`` node per (subject, relation, object).

The design and the confidence roll-up are in docs/decisions/0002-aggregates.md. The
aggregates are a pure function of the statement and document nodes, so rebuilding them
after an incremental build gives the same triples as a build from scratch.

>>> from graphkit.model import Entity, Evidence, Statement
>>> from graphkit.rdf import statements_to_graph
>>> from graphkit.vocab import EntityType, Modality, Relation
>>> a = Entity("group-a", "Group A", EntityType.MILITANT_GROUP)
>>> b = Entity("group-b", "Group B", EntityType.MILITANT_GROUP)
>>> sts = [Statement(b, Relation.ALLIED_WITH, a, Modality.ASSERTED, 0.5, 2014,
...                  Evidence(doc, "Group B allied with Group A.", 0, 28)) for doc in "xy"]
>>> graph = statements_to_graph(sts)
>>> (agg,) = aggregate_rows(read_rows(graph))
>>> agg.subject.endswith("group-a"), agg.support, agg.documents, agg.confidence
(True, 2, 2, 0.75)
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from graphkit.rdf.build import confidence_literal
from graphkit.rdf.read import StatementNode, statement_nodes
from graphkit.rdf.terms import AGG, digest
from graphkit.vocab import GK, Modality, Relation

# A corpus never proves a tie: many sources make it very likely, not certain.
CONFIDENCE_CAP = 0.99

_YEAR = re.compile(r"^\s*(-?\d{4})")


@dataclass(frozen=True)
class Row:
    """One statement node as the corpus layer needs it."""

    statement: str
    subject: str
    relation: Relation
    object: str
    modality: Modality
    confidence: float
    year: int | None  # the text's year, else the year of the document's date
    document: str
    source: str  # gk:source of the document, else the document IRI itself

    def key(self) -> tuple[str, str, str]:
        """(subject, relation, object) with symmetric relations in IRI order."""
        s, o = self.relation.ordered(self.subject, self.object)
        return (s, self.relation.value, o)


@dataclass(frozen=True)
class Aggregate:
    """What the corpus says about one (subject, relation, object)."""

    subject: str
    relation: Relation
    object: str
    statements: tuple[str, ...]
    support: int
    denials: int
    speculations: int
    documents: int
    sources: int
    first_year: int | None
    last_year: int | None
    confidence: float

    @property
    def iri(self) -> URIRef:
        return aggregate_iri(self.subject, self.relation, self.object)


def aggregate_iri(subject: str, relation: Relation, obj: str) -> URIRef:
    """The aggregate node of a (subject, relation, object); symmetric pairs share one.

    >>> aggregate_iri("b", Relation.RIVAL_OF, "a") == aggregate_iri("a", Relation.RIVAL_OF, "b")
    True
    """
    subject, obj = relation.ordered(subject, obj)
    return AGG[digest(subject, relation.value, obj)]


def read_rows(graph: Graph) -> list[Row]:
    """Every well-formed statement node of ``graph``, sorted by IRI (validation reports
    malformed statements; aggregates skip them)."""
    rows = []
    for found in statement_nodes(graph, skip_malformed=True):
        row = _read_row(graph, found)
        if row is not None:
            rows.append(row)
    return rows


def _read_row(graph: Graph, found: StatementNode) -> Row | None:
    node, doc = found.node, found.document
    try:
        confidence = float(str(graph.value(node, GK.confidence) or 0.0))
    except ValueError:
        return None
    year = _year(graph.value(node, GK.year))
    if year is None and doc is not None:
        year = _year(graph.value(doc, DCTERMS.date))
    source = graph.value(doc, GK.source) if doc is not None else None
    return Row(str(node), str(found.subject), found.relation, str(found.object),
               found.modality, confidence, year, str(doc),
               str(source) if source is not None else str(doc))


def _year(value: object) -> int | None:
    match = _YEAR.match(str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def aggregate_rows(rows: Iterable[Row]) -> list[Aggregate]:
    """One aggregate per (subject, relation, object), sorted by that key."""
    groups: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:
        groups[row.key()].append(row)
    return [_aggregate(key, members) for key, members in sorted(groups.items())]


def _aggregate(key: tuple[str, str, str], rows: list[Row]) -> Aggregate:
    support = [r for r in rows if r.modality is Modality.ASSERTED]
    years = [r.year for r in support if r.year is not None]
    return Aggregate(
        subject=key[0], relation=Relation(key[1]), object=key[2],
        statements=tuple(sorted(r.statement for r in rows)),
        support=len(support),
        denials=sum(r.modality is Modality.NEGATED for r in rows),
        speculations=sum(r.modality is Modality.HYPOTHETICAL for r in rows),
        documents=len({r.document for r in support}),
        sources=len({r.source for r in support}),
        first_year=min(years) if years else None,
        last_year=max(years) if years else None,
        confidence=rolled_up_confidence(support),
    )


def rolled_up_confidence(support: Iterable[Row]) -> float:
    """Noisy-or over documents of each document's best confidence, capped at 0.99.

    A document that repeats a claim counts once, so one long article cannot outweigh
    independent reports.

    >>> rows = [Row("s1", "a", Relation.SUPPORTS, "b", Modality.ASSERTED, c, None, d, d)
    ...         for c, d in [(0.5, "d1"), (0.9, "d1"), (0.5, "d2")]]
    >>> rolled_up_confidence(rows)
    0.95
    >>> rolled_up_confidence([])
    0.0
    """
    best: dict[str, float] = {}
    for row in support:
        best[row.document] = max(best.get(row.document, 0.0), row.confidence)
    if not best:
        return 0.0
    doubt = math.prod(1.0 - min(max(c, 0.0), 1.0) for c in best.values())
    return round(min(1.0 - doubt, CONFIDENCE_CAP), 3)


def add_aggregates(graph: Graph, aggregates: Iterable[Aggregate]) -> None:
    """Write ``aggregates`` into ``graph`` as ``gk:Aggregate`` nodes."""
    for agg in aggregates:
        node = agg.iri
        graph.add((node, RDF.type, GK.Aggregate))
        graph.add((node, GK.aggregateSubject, URIRef(agg.subject)))
        graph.add((node, GK.aggregateRelation, agg.relation.iri))
        graph.add((node, GK.aggregateObject, URIRef(agg.object)))
        for statement in agg.statements:
            graph.add((node, GK.hasStatement, URIRef(statement)))
        for prop, count in ((GK.supportCount, agg.support), (GK.denialCount, agg.denials),
                            (GK.speculationCount, agg.speculations),
                            (GK.documentCount, agg.documents), (GK.sourceCount, agg.sources)):
            graph.add((node, prop, Literal(count)))
        if agg.first_year is not None and agg.last_year is not None:
            graph.add((node, GK.firstYear, Literal(agg.first_year)))
            graph.add((node, GK.lastYear, Literal(agg.last_year)))
        graph.add((node, GK.aggregateConfidence, confidence_literal(agg.confidence)))


def remove_corpus_nodes(graph: Graph) -> None:
    """Drop every aggregate and contradiction node, so they can be recomputed."""
    for cls in (GK.Aggregate, GK.Contradiction):
        for node in list(graph.subjects(RDF.type, cls)):
            graph.remove((node, None, None))
