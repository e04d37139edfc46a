"""Contradictions as first-class nodes: claims on one side, counter-claims on the other.

Three kinds (docs/decisions/0002-aggregates.md):

- ``allied-and-rival``: the same pair is asserted both allied and rivals;
- ``asserted-and-negated``: one (subject, relation, object) is both asserted and denied;
- ``splinter-and-affiliate``: a group is asserted both a splinter and an affiliate of the
  same group in the same period (their year spans overlap, or one side gives no year).

>>> from graphkit.vocab import Modality, Relation
>>> def row(n, rel, mod=Modality.ASSERTED, year=None):
...     return Row(f"st{n}", "ent:a", rel, "ent:b", mod, 0.8, year, f"d{n}", f"d{n}")
>>> found = find_contradictions([row(1, Relation.ALLIED_WITH), row(2, Relation.RIVAL_OF),
...     row(3, Relation.RIVAL_OF, Modality.NEGATED)])
>>> [(c.kind, c.claims, c.counter_claims) for c in found]
[('allied-and-rival', ('st1',), ('st2',)), ('asserted-and-negated', ('st2',), ('st3',))]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from graphkit.corpus.aggregate import Row
from graphkit.rdf.terms import CONTRA, digest
from graphkit.vocab import GK, Modality, Relation

ALLIED_AND_RIVAL = "allied-and-rival"
ASSERTED_AND_NEGATED = "asserted-and-negated"
SPLINTER_AND_AFFILIATE = "splinter-and-affiliate"
KINDS = (ALLIED_AND_RIVAL, ASSERTED_AND_NEGATED, SPLINTER_AND_AFFILIATE)


@dataclass(frozen=True)
class Contradiction:
    """Two sets of statements that cannot both hold."""

    kind: str
    between: tuple[str, str]
    relation: Relation | None  # the relation for asserted-and-negated, else None
    claims: tuple[str, ...]
    counter_claims: tuple[str, ...]

    @property
    def iri(self) -> URIRef:
        relation = self.relation.value if self.relation else ""
        return CONTRA[digest(self.kind, relation, *self.between)]


def find_contradictions(rows: Iterable[Row]) -> list[Contradiction]:
    """Every contradiction among ``rows``, sorted by kind, entities and relation."""
    rows = list(rows)
    found = _allied_and_rival(rows) + _asserted_and_negated(rows) + _splinter_and_affiliate(rows)
    return sorted(found, key=lambda c: (KINDS.index(c.kind), c.between,
                                        c.relation.value if c.relation else ""))


def _ids(rows: Iterable[Row]) -> tuple[str, ...]:
    return tuple(sorted(r.statement for r in rows))


def _allied_and_rival(rows: list[Row]) -> list[Contradiction]:
    sides: dict[tuple[str, str], dict[Relation, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r.modality is Modality.ASSERTED and r.relation in (Relation.ALLIED_WITH,
                                                               Relation.RIVAL_OF):
            pair = (min(r.subject, r.object), max(r.subject, r.object))
            sides[pair][r.relation].append(r)
    return [Contradiction(ALLIED_AND_RIVAL, pair, None, _ids(by[Relation.ALLIED_WITH]),
                          _ids(by[Relation.RIVAL_OF]))
            for pair, by in sides.items() if by[Relation.ALLIED_WITH] and by[Relation.RIVAL_OF]]


def _asserted_and_negated(rows: list[Row]) -> list[Contradiction]:
    sides: dict[tuple[str, str, str], dict[Modality, list[Row]]] = defaultdict(
        lambda: defaultdict(list))
    for r in rows:
        sides[r.key()][r.modality].append(r)
    return [Contradiction(ASSERTED_AND_NEGATED, (s, o), Relation(rel),
                          _ids(by[Modality.ASSERTED]), _ids(by[Modality.NEGATED]))
            for (s, rel, o), by in sides.items()
            if by[Modality.ASSERTED] and by[Modality.NEGATED]]


def _splinter_and_affiliate(rows: list[Row]) -> list[Contradiction]:
    sides: dict[tuple[str, str], dict[Relation, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r.modality is Modality.ASSERTED and r.relation in (Relation.SPLINTER_OF,
                                                               Relation.AFFILIATE_OF):
            sides[(r.subject, r.object)][r.relation].append(r)
    found = []
    for pair, by in sides.items():
        splinter, affiliate = by[Relation.SPLINTER_OF], by[Relation.AFFILIATE_OF]
        if splinter and affiliate and same_period(splinter, affiliate):
            found.append(Contradiction(SPLINTER_AND_AFFILIATE, pair, None, _ids(splinter),
                                       _ids(affiliate)))
    return found


def same_period(first: list[Row], second: list[Row]) -> bool:
    """Whether two sides' year spans overlap; a side with no year at all may be any time.

    >>> def at(year): return Row("s", "a", Relation.SPLINTER_OF, "b", Modality.ASSERTED,
    ...                          0.5, year, "d", "d")
    >>> same_period([at(2010), at(2014)], [at(2012)]), same_period([at(2010)], [at(2015)])
    (True, False)
    >>> same_period([at(2010)], [at(None)])
    True
    """
    spans = []
    for side in (first, second):
        years = [r.year for r in side if r.year is not None]
        if not years:
            return True
        spans.append((min(years), max(years)))
    (a0, a1), (b0, b1) = spans
    return a0 <= b1 and b0 <= a1


def add_contradictions(graph: Graph, contradictions: Iterable[Contradiction]) -> None:
    """Write ``contradictions`` into ``graph`` as ``gk:Contradiction`` nodes."""
    for c in contradictions:
        node = c.iri
        graph.add((node, RDF.type, GK.Contradiction))
        graph.add((node, GK.contradictionKind, Literal(c.kind)))
        for entity in c.between:
            graph.add((node, GK.between, URIRef(entity)))
        for statement in c.claims:
            graph.add((node, GK.claim, URIRef(statement)))
        for statement in c.counter_claims:
            graph.add((node, GK.counterClaim, URIRef(statement)))
