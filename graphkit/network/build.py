"""RDF statement graph (decision 0001) to a networkx multigraph.

One edge per (subject, relation, object, modality): every statement node that claims
the same relation with the same modality between the same two entities supports that
edge. Edges of a symmetric relation point from the smaller entity IRI to the larger,
so "A allied with B" and "B allied with A" support one edge.

>>> from rdflib import Graph, Literal, URIRef
>>> from rdflib.namespace import RDF, SKOS
>>> from graphkit.vocab import ENT, GK, STATEMENT_BASE
>>> a, b, st = ENT["group-a"], ENT["group-b"], URIRef(STATEMENT_BASE + "s1")
>>> g = Graph()
>>> for triple in [(a, RDF.type, GK.MilitantGroup), (a, SKOS.prefLabel, Literal("Group A")),
...                (b, RDF.type, GK.MilitantGroup), (b, SKOS.prefLabel, Literal("Group B")),
...                (st, RDF.type, GK.Statement), (st, RDF.subject, b),
...                (st, RDF.predicate, GK.splinterOf), (st, RDF.object, a),
...                (st, GK.modality, Literal("asserted")), (st, GK.confidence, Literal(0.8))]:
...     _ = g.add(triple)
>>> G = to_networkx(g)
>>> [(G.nodes[u]["label"], d["relation"], G.nodes[v]["label"], d["weight"])
...  for u, v, d in G.edges(data=True)]
[('Group B', 'splinterOf', 'Group A', 1)]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from graphkit.errors import InputError
from graphkit.rdf.read import statement_nodes
from graphkit.vocab import GK, WD, EntityType, Modality, Relation

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["add_layout_and_measures", "edge_key", "to_networkx"]

# schema.org is published under both schemes; accept either for the document URL.
SCHEMA_URLS = (URIRef("https://schema.org/url"), URIRef("http://schema.org/url"))
_ENTITY_CLASSES = {t.iri: t.value for t in EntityType}
_YEAR = re.compile(r"-?\d{4}")
_QID = re.compile(r"Q[1-9]\d*")


@dataclass(frozen=True)
class _Claim:
    """One statement node read back from RDF."""

    subject: str
    relation: Relation
    object: str
    modality: str
    evidence: dict[str, Any]


def edge_key(relation: str, modality: str) -> str:
    """The multigraph key of an edge: parallel edges differ by relation or modality.

    >>> edge_key("alliedWith", "negated")
    'alliedWith|negated'
    """
    return f"{relation}|{modality}"


def to_networkx(
    graph: Graph, *, modalities: Iterable[Modality | str] | None = None, analyse: bool = True
) -> nx.MultiDiGraph:
    """Build the entity network from statement nodes.

    ``modalities`` keeps only statements of those modalities; the default keeps all,
    each edge marked with its ``modality`` so views can tell facts from denials.
    Edge ``confidence`` is the **maximum** over the supporting statements: an edge is as
    credible as its best-read evidence, while ``weight`` (statements) and ``documents``
    (distinct documents) carry how much it is corroborated. Only entities that take part
    in a kept statement become nodes. Nodes and edges are inserted in sorted order, so
    the same RDF always gives the same graph and the same files.

    With ``analyse`` (the default) every node also gets its seeded layout position
    (``x``, ``y``) and the measures of :mod:`graphkit.network.analytics`, computed once
    here so the HTML view and the GEXF show the same layout and numbers.

    Where the graph carries the corpus aggregates (``gk:Aggregate``, written by every
    build), an asserted edge takes its weight (supporting statements), documents,
    sources, first/last year and rolled-up confidence from the aggregate of its tie, so
    the view, the GEXF and SPARQL report the same corroboration; denied and speculative
    edges, which aggregates only count, keep counts from their statements.
    """
    import networkx as nx

    wanted = _modality_filter(modalities)
    claims = [c for c in _read_claims(graph) if c.modality in wanted]
    groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        groups[(c.subject, c.object, c.relation.value, c.modality)].append(c.evidence)
    G = nx.MultiDiGraph(name="graphkit")
    for iri in sorted({c.subject for c in claims} | {c.object for c in claims}):
        G.add_node(iri, **_entity_attrs(graph, URIRef(iri)))
    aggregates = _read_aggregates(graph)
    for (s, o, rel, mod), evidence in sorted(groups.items()):
        attrs = _edge_attrs(rel, mod, evidence)
        if mod == Modality.ASSERTED.value:
            attrs.update(aggregates.get(_tie(s, rel, o), {}))
        G.add_edge(s, o, key=edge_key(rel, mod), **attrs)
    if analyse:
        add_layout_and_measures(G)
    return G


def _tie(subject: str, relation: str, obj: str) -> tuple[str, str, str]:
    subject, obj = Relation(relation).ordered(subject, obj)
    return (subject, relation, obj)


_AGGREGATE_FIELDS = {"weight": GK.supportCount, "documents": GK.documentCount,
                     "sources": GK.sourceCount, "first_year": GK.firstYear,
                     "last_year": GK.lastYear, "confidence": GK.aggregateConfidence}


def _read_aggregates(graph: Graph) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Edge attributes from each tie's aggregate node, keyed by (subject, relation, object)."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for node in graph.subjects(RDF.type, GK.Aggregate):
        s, p, o = (graph.value(node, prop) for prop in (
            GK.aggregateSubject, GK.aggregateRelation, GK.aggregateObject))
        if s is None or p is None or o is None:
            continue
        attrs: dict[str, Any] = {}
        for name, prop in _AGGREGATE_FIELDS.items():
            value = graph.value(node, prop)
            if isinstance(value, Literal):
                number = value.toPython()
                attrs[name] = round(float(number), 3) if name == "confidence" else int(number)
        if attrs.get("weight"):
            out[_tie(str(s), _local_name(str(p)), str(o))] = attrs
    return out


def add_layout_and_measures(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Write ``x``, ``y`` and the analytics measures into ``G``'s nodes (in place)."""
    from graphkit.network.analytics import annotate
    from graphkit.network.layout import layout

    for node, (x, y) in layout(G).items():
        G.nodes[node].update(x=x, y=y)
    annotate(G)
    return G


def _modality_filter(modalities: Iterable[Modality | str] | None) -> set[str]:
    if modalities is None:
        return {m.value for m in Modality}
    if isinstance(modalities, str):  # a lone "asserted" would otherwise split into letters
        modalities = [modalities]
    try:
        return {Modality(m).value for m in modalities}
    except ValueError:
        valid = ", ".join(m.value for m in Modality)
        raise InputError(f"unknown modality in {list(modalities)!r}; valid: {valid}") from None


def _read_claims(graph: Graph) -> list[_Claim]:
    claims = []
    for found in statement_nodes(graph):
        subject, obj = found.relation.ordered(str(found.subject), str(found.object))
        claims.append(_Claim(subject, found.relation, obj, found.modality.value,
                             _evidence(graph, found.node, found.document)))
    return claims


def _evidence(graph: Graph, st: Any, doc: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "statement": str(st),
        "sentence": _text(graph.value(st, GK.evidence)),
        "doc": _text(graph.value(doc, GK.documentId)) or (str(doc) if doc else None),
        "title": _text(graph.value(doc, DCTERMS.title)) if doc else None,
        "date": _text(graph.value(doc, DCTERMS.date)) if doc else None,
        "url": _first_text(graph, doc, SCHEMA_URLS) if doc else None,
        "source": _text(graph.value(doc, GK.source)) if doc else None,
        "confidence": _number(graph.value(st, GK.confidence)),
        "year": _year(graph.value(st, GK.year)),
        "start": _int(graph.value(st, GK.startOffset)),
    }
    return {k: v for k, v in row.items() if v is not None}


def _edge_attrs(relation: str, modality: str, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    evidence = sorted(evidence, key=lambda e: (e.get("doc", ""), e.get("start", -1),
                                               e.get("sentence", ""), e["statement"]))
    years = [e["year"] for e in evidence if "year" in e]
    confidences = [e["confidence"] for e in evidence if "confidence" in e]
    attrs: dict[str, Any] = {
        "relation": relation,
        "modality": modality,
        "confidence": round(max(confidences), 3) if confidences else 0.0,
        "weight": len(evidence),
        "documents": len({e.get("doc", e["statement"]) for e in evidence}),
        # A source is the publisher when the document names one, else the document.
        "sources": len({e.get("source") or e.get("doc", e["statement"]) for e in evidence}),
        "evidence": evidence,
    }
    if years:
        attrs["first_year"], attrs["last_year"] = min(years), max(years)
    return attrs


def _entity_attrs(graph: Graph, iri: URIRef) -> dict[str, Any]:
    classes = sorted(_ENTITY_CLASSES[URIRef(str(t))] for t in graph.objects(iri, RDF.type)
                     if t in _ENTITY_CLASSES)
    label = _best_label(graph.objects(iri, SKOS.prefLabel)) or _local_name(iri)
    aliases = sorted({str(a) for a in graph.objects(iri, SKOS.altLabel)} - {label})
    qids = sorted(str(s)[len(str(WD)):] for s in graph.objects(iri, OWL.sameAs)
                  if str(s).startswith(str(WD)) and _QID.fullmatch(str(s)[len(str(WD)):]))
    minted = graph.value(iri, GK.minted)
    attrs: dict[str, Any] = {
        "label": label,
        "class": classes[0] if classes else "Entity",
        "aliases": aliases,
        "minted": bool(minted.toPython()) if isinstance(minted, Literal) else False,
    }
    if qids:
        attrs["qid"] = qids[0]
    return attrs


def _best_label(labels: Iterable[Any]) -> str | None:
    """English or untagged labels first, then any; alphabetical within a rank."""
    ranked = sorted((0 if getattr(lit, "language", None) in (None, "en") else 1, str(lit))
                    for lit in labels)
    return ranked[0][1] if ranked else None


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", str(iri).rstrip("/#"))[-1]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _first_text(graph: Graph, subject: Any, props: Iterable[URIRef]) -> str | None:
    for prop in props:
        value = graph.value(subject, prop)
        if value is not None:
            return str(value)
    return None


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _year(value: Any) -> int | None:
    """Year from an integer, an xsd:gYear or a date literal."""
    if value is None:
        return None
    match = _YEAR.match(str(value).strip())
    return int(match.group()) if match else None
