"""Plain data objects passed between stages. No spaCy, no rdflib objects live here.

>>> doc = Document(id="a1", text="Group A allied with Group B.")
>>> a = Entity(id="group-a", label="Group A", type=EntityType.MILITANT_GROUP)
>>> b = Entity(id="group-b", label="Group B", type=EntityType.MILITANT_GROUP)
>>> st = Statement(a, Relation.ALLIED_WITH, b, Modality.ASSERTED, 0.9, 2014,
...                Evidence("a1", "Group A allied with Group B.", 0, 28))
>>> st.to_json()["predicate"], st.to_json()["subject_id"]
('alliedWith', 'https://w3id.org/graphkit/entity/group-a')
>>> Statement.from_json(st.to_json()) == st
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from graphkit.kinds import ENTITY_BASE, EntityType, Modality, Relation


def slugify(name: str) -> str:
    """A stable IRI-safe slug for a name.

    >>> slugify("Jama'at Nusrat al-Islam wal-Muslimin")
    'jamaat-nusrat-al-islam-wal-muslimin'
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’`]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "entity"


@dataclass(frozen=True)
class Document:
    """One input text and what is known about where it came from."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    # Where the text was read, however the path was typed: the resolved file path (a
    # JSONL line without an id of its own adds "#LINE"). The id keeps the path as typed,
    # for display; a build matches documents it already holds by this and the content
    # hash, so "kb" built from "seeds" and then "/abs/seeds" holds each document once.
    origin: str | None = field(default=None, compare=False)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entity:
    """A real-world entity with one IRI however the text spells it."""

    id: str
    label: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    qid: str | None = None
    minted: bool = False  # True when no gazetteer entry backs it

    @property
    def iri(self) -> str:
        return ENTITY_BASE + self.id


@dataclass(frozen=True)
class Evidence:
    """Where a statement was read: the document, the sentence and its offsets."""

    doc_id: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Statement:
    """One typed relation claim with its modality, confidence, year and evidence."""

    subject: Entity
    predicate: Relation
    object: Entity
    modality: Modality
    confidence: float
    year: int | None
    evidence: Evidence
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def key(self) -> tuple[str, str, str]:
        """(subject, relation, object) with symmetric relations in a canonical order."""
        s, o = self.predicate.ordered(self.subject.id, self.object.id)
        return (s, self.predicate.value, o)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.evidence.doc_id,
            "subject": self.subject.label,
            "subject_id": self.subject.iri,
            "subject_type": self.subject.type.value,
            "subject_aliases": list(self.subject.aliases),
            "predicate": self.predicate.value,
            "object": self.object.label,
            "object_id": self.object.iri,
            "object_type": self.object.type.value,
            "object_aliases": list(self.object.aliases),
            "modality": self.modality.value,
            "confidence": round(self.confidence, 3),
            "sentence": self.evidence.sentence,
            "start": self.evidence.start,
            "end": self.evidence.end,
            "year": self.year,
        }

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> Statement:
        def entity(side: str) -> Entity:
            iri = str(row[f"{side}_id"])
            return Entity(
                id=iri[len(ENTITY_BASE):] if iri.startswith(ENTITY_BASE) else slugify(iri),
                label=str(row[side]),
                type=EntityType(row[f"{side}_type"]),
                aliases=tuple(row.get(f"{side}_aliases") or ()),
            )

        return cls(
            subject=entity("subject"),
            predicate=Relation.parse(row["predicate"]),
            object=entity("object"),
            modality=Modality(row["modality"]),
            confidence=float(row["confidence"]),
            year=None if row.get("year") is None else int(row["year"]),
            evidence=Evidence(str(row["doc"]), str(row["sentence"]), int(row["start"]),
                              int(row["end"])),
        )
