"""The one vocabulary every stage uses: namespaces, classes, relations, modalities.

Relation names never appear as bare strings elsewhere in graphkit: code asks this
module for a :class:`Relation` and gets its IRI, symmetry and label from here. The
enumerations themselves live in :mod:`graphkit.kinds` (no rdflib), for graphkit.model.

>>> Relation.ALLIED_WITH.iri
rdflib.term.URIRef('https://w3id.org/graphkit/ontology#alliedWith')
>>> Relation("splinterOf").symmetric
False
>>> Relation.parse("gk:rivalOf") is Relation.RIVAL_OF
True
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from graphkit.kinds import (
    DOCUMENT_BASE,
    ENTITY_BASE,
    ONTOLOGY_IRI,
    STATEMENT_BASE,
    EntityType,
    Modality,
    Relation,
)

__all__ = ["DOCUMENT_BASE", "ENT", "ENTITY_BASE", "GK", "ONTOLOGY_IRI", "STATEMENT_BASE", "WD",
           "EntityType", "Modality", "Relation"]

ENT = Namespace(ENTITY_BASE)
WD = Namespace("http://www.wikidata.org/entity/")


class GK(DefinedNamespace):
    """The graphkit ontology (``ontologies/graphkit.ttl``), closed: unknown names raise."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # Classes of entities
    MilitantGroup: URIRef
    Person: URIRef
    State: URIRef
    Organization: URIRef
    Location: URIRef
    # Classes of the statement model
    Statement: URIRef
    Document: URIRef
    Extraction: URIRef
    # Classes of the corpus layer (docs/decisions/0002-aggregates.md)
    Aggregate: URIRef
    Contradiction: URIRef
    # Relations between entities
    alliedWith: URIRef
    rivalOf: URIRef
    affiliateOf: URIRef
    splinterOf: URIRef
    mergedInto: URIRef
    supports: URIRef
    negotiatesWith: URIRef
    leaderOf: URIRef
    memberOf: URIRef
    founderOf: URIRef
    operatesIn: URIRef
    # Statement properties
    modality: URIRef
    confidence: URIRef
    year: URIRef
    evidence: URIRef
    startOffset: URIRef
    endOffset: URIRef
    documentId: URIRef
    contentHash: URIRef
    source: URIRef
    minted: URIRef
    # Aggregate and contradiction properties
    aggregateSubject: URIRef
    aggregateRelation: URIRef
    aggregateObject: URIRef
    hasStatement: URIRef
    supportCount: URIRef
    denialCount: URIRef
    speculationCount: URIRef
    documentCount: URIRef
    sourceCount: URIRef
    firstYear: URIRef
    lastYear: URIRef
    aggregateConfidence: URIRef
    contradictionKind: URIRef
    between: URIRef
    claim: URIRef
    counterClaim: URIRef
