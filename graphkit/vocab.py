"""The one vocabulary every stage uses: namespaces, classes, relations, modalities.

Relation names never appear as bare strings elsewhere in graphkit: code asks this
module for a :class:`Relation` and gets its IRI, symmetry and label from here.

>>> Relation.ALLIED_WITH.iri
rdflib.term.URIRef('https://w3id.org/graphkit/ontology#alliedWith')
>>> Relation("splinterOf").symmetric
False
>>> Relation.parse("gk:rivalOf") is Relation.RIVAL_OF
True
"""

from __future__ import annotations

from enum import StrEnum

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

ONTOLOGY_IRI = "https://w3id.org/graphkit/ontology"
ENTITY_BASE = "https://w3id.org/graphkit/entity/"
STATEMENT_BASE = "https://w3id.org/graphkit/statement/"
DOCUMENT_BASE = "https://w3id.org/graphkit/document/"

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


class EntityType(StrEnum):
    """The entity classes of the ontology; values are their local names."""

    MILITANT_GROUP = "MilitantGroup"
    PERSON = "Person"
    STATE = "State"
    ORGANIZATION = "Organization"
    LOCATION = "Location"

    @property
    def iri(self) -> URIRef:
        return GK[self.value]


class Relation(StrEnum):
    """The eleven relation types; values are the ontology's local names."""

    ALLIED_WITH = "alliedWith"
    RIVAL_OF = "rivalOf"
    AFFILIATE_OF = "affiliateOf"
    SPLINTER_OF = "splinterOf"
    MERGED_INTO = "mergedInto"
    SUPPORTS = "supports"
    NEGOTIATES_WITH = "negotiatesWith"
    LEADER_OF = "leaderOf"
    MEMBER_OF = "memberOf"
    FOUNDER_OF = "founderOf"
    OPERATES_IN = "operatesIn"

    @property
    def iri(self) -> URIRef:
        return GK[self.value]

    @property
    def symmetric(self) -> bool:
        return self in _SYMMETRIC

    @property
    def label(self) -> str:
        return _LABELS[self]

    def ordered(self, subject: str, obj: str) -> tuple[str, str]:
        """The pair in the one canonical order: as given, or sorted when symmetric.

        >>> Relation.RIVAL_OF.ordered("b", "a"), Relation.LEADER_OF.ordered("b", "a")
        (('a', 'b'), ('b', 'a'))
        """
        if self.symmetric and obj < subject:
            return obj, subject
        return subject, obj

    @classmethod
    def parse(cls, name: str) -> Relation:
        """Accept a local name, a prefixed name or a full IRI; list valid names on error."""
        local = str(name).rsplit("#", 1)[-1].rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        try:
            return cls(local)
        except ValueError:
            valid = ", ".join(r.value for r in cls)
            raise ValueError(f"unknown relation {name!r}; valid relations: {valid}") from None


_SYMMETRIC = frozenset({Relation.ALLIED_WITH, Relation.RIVAL_OF, Relation.NEGOTIATES_WITH})

_LABELS = {
    Relation.ALLIED_WITH: "allied with",
    Relation.RIVAL_OF: "rival of",
    Relation.AFFILIATE_OF: "affiliate of",
    Relation.SPLINTER_OF: "splinter of",
    Relation.MERGED_INTO: "merged into",
    Relation.SUPPORTS: "supports",
    Relation.NEGOTIATES_WITH: "negotiates with",
    Relation.LEADER_OF: "leader of",
    Relation.MEMBER_OF: "member of",
    Relation.FOUNDER_OF: "founder of",
    Relation.OPERATES_IN: "operates in",
}


class Modality(StrEnum):
    """Whether the text asserts, denies or only speculates a statement."""

    ASSERTED = "asserted"
    NEGATED = "negated"
    HYPOTHETICAL = "hypothetical"
