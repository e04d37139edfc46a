"""Statements, documents and entities -> one rdflib graph, shaped as ADR 0001 says.

>>> from graphkit.model import Entity, Evidence, Statement
>>> from graphkit.vocab import EntityType, Modality, Relation
>>> a = Entity("group-a", "Group A", EntityType.MILITANT_GROUP)
>>> b = Entity("group-b", "Group B", EntityType.MILITANT_GROUP)
>>> ev = Evidence("d1", "Group A fought beside Group B.", 0, 30)
>>> st = Statement(a, Relation.ALLIED_WITH, b, Modality.ASSERTED, 0.8, 2019, ev)
>>> g = statements_to_graph([st])
>>> (URIRef(a.iri), Relation.ALLIED_WITH.iri, URIRef(b.iri)) in g
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from graphkit import __version__
from graphkit.errors import InputError
from graphkit.model import Document, Entity, Statement
from graphkit.rdf.terms import (
    SCHEMA,
    STMT,
    XSD,
    agent_iri,
    bind_prefixes,
    digest,
    document_iri,
    extraction_iri,
)
from graphkit.settings import DEFAULT_MODEL
from graphkit.vocab import GK, WD, Modality

DEFAULT_EXTRACTOR = f"graphkit-{__version__}"

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class DocumentInfo:
    """What the graph keeps of a document: its metadata and text hash, not the text.

    An incremental build reads these back from the previous graph.

    >>> DocumentInfo.of(Document("d", "text", title="T")).content_hash[:8]
    '982d9e3e'
    """

    id: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    content_hash: str | None = None

    @classmethod
    def of(cls, doc: Document) -> DocumentInfo:
        return cls(doc.id, doc.title, doc.date, doc.url, doc.source, doc.content_hash)


def statement_iri(statement: Statement) -> URIRef:
    """The content hash IRI of a claim: document, relation, entities, offsets, modality.

    >>> from graphkit.model import Entity, Evidence
    >>> from graphkit.vocab import EntityType, Relation
    >>> a = Entity("a", "A", EntityType.STATE)
    >>> st = Statement(a, Relation.RIVAL_OF, a, Modality.NEGATED, 0.5, None,
    ...                Evidence("d", "A is not A's rival.", 0, 19))
    >>> statement_iri(st).startswith("https://w3id.org/graphkit/statement/")
    True
    """
    ev = statement.evidence
    return STMT[digest(ev.doc_id, statement.predicate.value, statement.subject.id,
                       statement.object.id, str(ev.start), str(ev.end), statement.modality.value)]


def statements_to_graph(
    statements: Iterable[Statement],
    documents: Iterable[Document | DocumentInfo] = (),
    entities: Iterable[Entity] = (),
    *,
    extractor: str = DEFAULT_EXTRACTOR,
    model: str = DEFAULT_MODEL,
) -> Graph:
    """Build the graph: statement nodes, document nodes, entity nodes, provenance.

    Only asserted statements also add the direct triple ``subject gk:<relation> object``.
    Statements that share an IRI (same document, span, entities, relation, modality)
    are one claim; the most confident of them is kept. An entity given in ``entities``
    wins over the copies inside statements; aliases equal to the label are dropped
    (SKOS keeps prefLabel and altLabel disjoint). Confidence is rounded to 3 decimals.
    """
    claims = _unique_claims(statements)
    docs = {doc.id: doc for doc in documents}
    graph = bind_prefixes(Graph())
    for doc_id in sorted(set(docs) | {st.evidence.doc_id for st in claims.values()}):
        _add_document(graph, doc_id, docs.get(doc_id))
    for entity in _collect_entities(claims, entities).values():
        _add_entity(graph, entity)
    if claims:
        _add_extraction(graph, extractor, model)
    activity = extraction_iri(extractor)
    for iri, statement in claims.items():
        _add_statement(graph, iri, statement, activity)
    return graph


def _unique_claims(statements: Iterable[Statement]) -> dict[URIRef, Statement]:
    """Statements keyed by IRI in IRI order; on a clash keep the most confident."""
    best: dict[URIRef, Statement] = {}
    for statement in statements:
        iri = statement_iri(statement)
        other = best.get(iri)
        if other is None or _rank(statement) > _rank(other):
            best[iri] = statement
    return dict(sorted(best.items()))


def _rank(statement: Statement) -> tuple[float, int, str]:
    year = -1 if statement.year is None else statement.year
    return (statement.confidence, year, statement.evidence.sentence)


def _collect_entities(
    claims: dict[URIRef, Statement], entities: Iterable[Entity]
) -> dict[str, Entity]:
    """Every entity to describe, explicit ones first, then those the statements name."""
    found: dict[str, Entity] = {}
    for entity in entities:
        found.setdefault(entity.id, entity)
    for statement in claims.values():
        found.setdefault(statement.subject.id, statement.subject)
        found.setdefault(statement.object.id, statement.object)
    return dict(sorted(found.items()))


def _add_document(graph: Graph, doc_id: str, doc: Document | DocumentInfo | None) -> None:
    node = document_iri(doc_id)
    graph.add((node, RDF.type, GK.Document))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, GK.documentId, Literal(doc_id)))
    if doc is None:
        return
    if doc.title:
        graph.add((node, DCTERMS.title, Literal(doc.title)))
    if doc.date:
        # A plain ISO day is typed so SPARQL can compare dates; anything else stays text.
        datatype = XSD.date if _ISO_DATE.match(doc.date) else None
        graph.add((node, DCTERMS.date, Literal(doc.date, datatype=datatype)))
    if doc.url:
        graph.add((node, SCHEMA.url, Literal(doc.url, datatype=XSD.anyURI)))
    if doc.source:
        graph.add((node, GK.source, Literal(doc.source)))
    if doc.content_hash:
        graph.add((node, GK.contentHash, Literal(doc.content_hash)))


def _add_entity(graph: Graph, entity: Entity) -> None:
    node = URIRef(entity.iri)
    graph.add((node, RDF.type, entity.type.iri))
    graph.add((node, SKOS.prefLabel, Literal(entity.label)))
    for alias in entity.aliases:
        if alias != entity.label:
            graph.add((node, SKOS.altLabel, Literal(alias)))
    if entity.qid:
        qid = entity.qid.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        graph.add((node, OWL.sameAs, WD[qid]))
    if entity.minted:
        graph.add((node, GK.minted, Literal(True)))


def _add_extraction(graph: Graph, extractor: str, model: str) -> None:
    activity, agent = extraction_iri(extractor), agent_iri(extractor)
    graph.add((activity, RDF.type, GK.Extraction))
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, PROV.wasAssociatedWith, agent))
    graph.add((agent, RDF.type, PROV.SoftwareAgent))
    graph.add((agent, RDFS.label, Literal(f"{extractor} with spaCy pipeline {model}")))


def _add_statement(graph: Graph, node: URIRef, statement: Statement, activity: URIRef) -> None:
    subject, obj = URIRef(statement.subject.iri), URIRef(statement.object.iri)
    ev = statement.evidence
    graph.add((node, RDF.type, GK.Statement))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, statement.predicate.iri))
    graph.add((node, RDF.object, obj))
    graph.add((node, GK.modality, Literal(statement.modality.value)))
    graph.add((node, GK.confidence, confidence_literal(statement.confidence)))
    if statement.year is not None:
        graph.add((node, GK.year, Literal(int(statement.year))))
    graph.add((node, GK.evidence, Literal(ev.sentence)))
    graph.add((node, GK.startOffset, Literal(int(ev.start))))
    graph.add((node, GK.endOffset, Literal(int(ev.end))))
    graph.add((node, PROV.wasDerivedFrom, document_iri(ev.doc_id)))
    graph.add((node, PROV.wasGeneratedBy, activity))
    if statement.modality is Modality.ASSERTED:
        graph.add((subject, statement.predicate.iri, obj))


def confidence_literal(value: float) -> Literal:
    """An ``xsd:decimal`` rounded to 3 places, always with a decimal point.

    >>> str(confidence_literal(0.90004)), str(confidence_literal(1))
    ('0.9', '1.0')
    """
    if not math.isfinite(value):
        raise InputError(f"confidence must be a finite number, got {value!r}")
    text = f"{round(value, 3):.3f}".rstrip("0")
    return Literal(Decimal(text + "0" if text.endswith(".") else text))
