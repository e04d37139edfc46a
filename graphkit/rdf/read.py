"""An rdflib graph in the ADR 0001 shape -> Statement objects (the inverse of build).

Statements come back sorted by document, offsets, subject, relation, object and
modality; entity aliases come back sorted (RDF keeps no order).

>>> from graphkit.model import Entity, Evidence
>>> from graphkit.rdf.build import statements_to_graph
>>> from graphkit.vocab import EntityType, Modality, Relation
>>> p = Entity("amir-x", "Amir X", EntityType.PERSON, minted=True)
>>> g = Entity("group-a", "Group A", EntityType.MILITANT_GROUP, ("GA",), qid="Q1")
>>> st = Statement(p, Relation.LEADER_OF, g, Modality.HYPOTHETICAL, 0.4, None,
...                Evidence("d", "Amir X may lead Group A.", 5, 29))
>>> graph_to_statements(statements_to_graph([st])) == [st]
True
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS
from rdflib.term import Node

from graphkit.errors import InputError
from graphkit.model import Entity, Evidence, Statement, slugify
from graphkit.rdf.build import DocumentInfo
from graphkit.rdf.terms import SCHEMA
from graphkit.vocab import ENTITY_BASE, GK, WD, EntityType, Modality, Relation

_TYPES = {entity_type.iri: entity_type for entity_type in EntityType}


@dataclass(frozen=True)
class StatementNode:
    """What every reader of a ``gk:Statement`` node needs, read and checked in one place:
    the claim (subject, relation, object, modality) and the document it came from."""

    node: Node
    subject: URIRef
    relation: Relation
    object: URIRef
    modality: Modality
    document: Node | None  # prov:wasDerivedFrom


def statement_nodes(graph: Graph, *, skip_malformed: bool = False) -> list[StatementNode]:
    """Every statement node of ``graph``, sorted by IRI.

    A node without subject, relation, object or modality, or with a relation or modality
    graphkit does not have, raises InputError naming it; with ``skip_malformed`` it is
    left out instead (the corpus layer leaves those to ``graphkit validate``).
    """
    found = []
    for node in sorted(set(graph.subjects(RDF.type, GK.Statement)), key=str):
        try:
            found.append(_statement_node(graph, node))
        except InputError:
            if not skip_malformed:
                raise
    return found


def _statement_node(graph: Graph, node: Node) -> StatementNode:
    subject, obj = (_iri(_required(graph, node, prop)) for prop in (RDF.subject, RDF.object))
    modality_text = str(_required(graph, node, GK.modality))
    try:
        modality = Modality(modality_text)
    except ValueError:
        raise InputError(f"statement {node} has unknown modality {modality_text!r}") from None
    relation = _relation(node, _required(graph, node, RDF.predicate))
    return StatementNode(node, subject, relation, obj, modality,
                         graph.value(node, PROV.wasDerivedFrom))


def _iri(side: Node) -> URIRef:
    if not isinstance(side, URIRef):
        raise InputError(f"statement entity {side} is not an IRI")
    return side


def graph_to_statements(graph: Graph) -> list[Statement]:
    """Read every ``gk:Statement`` node of ``graph``; raise InputError on a malformed one."""
    cache: dict[URIRef, Entity] = {}
    statements = [_read_statement(graph, found, cache) for found in statement_nodes(graph)]
    return sorted(statements, key=_sort_key)


def _sort_key(st: Statement) -> tuple[str, int, int, str, str, str, str, float]:
    ev = st.evidence
    return (ev.doc_id, ev.start, ev.end, st.subject.id, st.predicate.value, st.object.id,
            st.modality.value, -st.confidence)


def _read_statement(graph: Graph, found: StatementNode, cache: dict[URIRef, Entity]) -> Statement:
    node = found.node
    year = graph.value(node, GK.year)
    return Statement(
        subject=_entity(graph, found.subject, cache),
        predicate=found.relation,
        object=_entity(graph, found.object, cache),
        modality=found.modality,
        confidence=float(_number(node, _required(graph, node, GK.confidence))),
        year=None if year is None else int(_number(node, year)),
        evidence=Evidence(
            doc_id=_document_id(graph, node),
            sentence=str(_required(graph, node, GK.evidence)),
            start=int(_number(node, _required(graph, node, GK.startOffset))),
            end=int(_number(node, _required(graph, node, GK.endOffset))),
        ),
    )


def _required(graph: Graph, node: Node, prop: URIRef) -> Node:
    value = graph.value(node, prop)
    if value is None:
        raise InputError(f"statement {node} has no {graph.namespace_manager.normalizeUri(prop)}")
    return value


def _number(node: Node, value: Node) -> float:
    python = value.toPython() if isinstance(value, Literal) else None
    # bool is an int subclass, but a boolean where a number belongs is a broken graph
    if isinstance(python, bool) or not isinstance(python, (int, float, Decimal)):
        raise InputError(f"statement {node} has a non-numeric value {value!s}")
    return float(python)


_RELATIONS = {relation.iri: relation for relation in Relation}


def _relation(node: Node, value: Node) -> Relation:
    relation = _RELATIONS.get(value) if isinstance(value, URIRef) else None
    if relation is None:
        raise InputError(f"statement {node} has predicate {value}, which is not a graphkit "
                         "relation")
    return relation


def _document_id(graph: Graph, node: Node) -> str:
    document = _required(graph, node, PROV.wasDerivedFrom)
    doc_id = graph.value(document, GK.documentId)
    if doc_id is None:
        raise InputError(f"document {document} of statement {node} has no gk:documentId")
    return str(doc_id)


def _entity(graph: Graph, node: URIRef, cache: dict[URIRef, Entity]) -> Entity:
    if node not in cache:
        cache[node] = _read_entity(graph, node)
    return cache[node]


def _read_entity(graph: Graph, node: URIRef) -> Entity:
    iri = str(node)
    classes = [t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef)]
    types = sorted(_TYPES[t] for t in classes if t in _TYPES)
    if not types:
        raise InputError(f"entity {iri} has no graphkit class")
    label = graph.value(node, SKOS.prefLabel)
    same_as = sorted(str(o)[len(str(WD)):] for o in graph.objects(node, OWL.sameAs)
                     if str(o).startswith(str(WD)))
    return Entity(
        id=iri[len(ENTITY_BASE):] if iri.startswith(ENTITY_BASE) else slugify(iri),
        label=str(label) if label is not None else iri.rsplit("/", 1)[-1],
        type=types[0],
        aliases=tuple(sorted(str(alias) for alias in graph.objects(node, SKOS.altLabel))),
        qid=same_as[0] if same_as else None,
        minted=any(bool(v.toPython()) for v in graph.objects(node, GK.minted)
                   if isinstance(v, Literal)),
    )


def graph_to_documents(graph: Graph) -> list[DocumentInfo]:
    """Every ``gk:Document`` node's metadata, sorted by document id.

    >>> from graphkit.model import Document
    >>> from graphkit.rdf.build import statements_to_graph
    >>> g = statements_to_graph([], [Document("d1", "Text.", title="T", date="2020-01-02")])
    >>> (info,) = graph_to_documents(g)
    >>> info.id, info.title, info.date, info.content_hash == Document("d1", "Text.").content_hash
    ('d1', 'T', '2020-01-02', True)
    """
    found = []
    for node in set(graph.subjects(RDF.type, GK.Document)):
        doc_id = graph.value(node, GK.documentId)
        if doc_id is None:
            raise InputError(f"document {node} has no gk:documentId")

        def text(prop: URIRef, node: Node = node) -> str | None:
            value = graph.value(node, prop)
            return None if value is None else str(value)

        found.append(DocumentInfo(str(doc_id), text(DCTERMS.title), text(DCTERMS.date),
                                  text(SCHEMA.url), text(GK.source), text(GK.contentHash)))
    return sorted(found, key=lambda d: d.id)
