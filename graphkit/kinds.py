"""The plain half of the vocabulary: entity types, relations and modalities, without rdflib.

:mod:`graphkit.model` (the data objects every stage passes on) needs these names but no
RDF library; the ``iri`` of each is made, with rdflib, only when asked for.
:mod:`graphkit.vocab` holds the namespaces and re-exports everything here.

>>> Relation("splinterOf").symmetric
False
>>> Relation.parse("gk:rivalOf") is Relation.RIVAL_OF
True
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import URIRef

ONTOLOGY_IRI = "https://w3id.org/graphkit/ontology"
ENTITY_BASE = "https://w3id.org/graphkit/entity/"
STATEMENT_BASE = "https://w3id.org/graphkit/statement/"
DOCUMENT_BASE = "https://w3id.org/graphkit/document/"


@cache
def ontology_iri(local_name: str) -> URIRef:
    """The IRI of a name of the graphkit ontology (rdflib is imported here, when needed).

    >>> str(ontology_iri("alliedWith"))
    'https://w3id.org/graphkit/ontology#alliedWith'
    """
    from rdflib import URIRef

    return URIRef(f"{ONTOLOGY_IRI}#{local_name}")


class EntityType(StrEnum):
    """The entity classes of the ontology; values are their local names."""

    MILITANT_GROUP = "MilitantGroup"
    PERSON = "Person"
    STATE = "State"
    ORGANIZATION = "Organization"
    LOCATION = "Location"

    @property
    def iri(self) -> URIRef:
        return ontology_iri(self.value)


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
        return ontology_iri(self.value)

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
