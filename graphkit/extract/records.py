"""Parsed documents as plain records, for training: spaCy objects never leave extraction.

Training needs, for each passage, what the pipeline saw: every mention pair with its
features, every entity the entity layer typed with its features, and the candidates
the relation component kept. :func:`read` turns each parsed Doc into a
:class:`DocRecord` of strings and plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graphkit.extract.candidates import Candidate


@dataclass(frozen=True)
class MentionRecord:
    text: str  # as written ("the group" for an anaphor)
    names: tuple[str, ...]  # its entity's label and aliases
    anaphor: bool


@dataclass(frozen=True)
class PairRecord:
    first: MentionRecord
    second: MentionRecord
    features: list[str]
    modality_features: list[str]


@dataclass(frozen=True)
class DocRecord:
    pairs: list[PairRecord] = field(default_factory=list)
    # names of each minted entity and its entity-layer features (entity_types "collect")
    entities: list[tuple[tuple[str, ...], list[str]]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entity id -> names


def _record(doc: Any) -> DocRecord:
    from graphkit.extract.mentions import SPAN_KEY
    from graphkit.extract.pairs import modality_features, pair_features, sentence_pairs
    from graphkit.extract.scoring import pattern_labels

    entities = doc._.gk_entities or {}
    names = {key: (e.label, *e.aliases) for key, e in entities.items()}
    found = doc._.gk_relations or []
    mentions = list(doc.spans.get(SPAN_KEY, []))

    def mention(span: Any) -> MentionRecord:
        return MentionRecord(span.text, names.get(span.kb_id_, ()),
                             span.id_.startswith("coref"))

    pairs = [PairRecord(mention(p.first), mention(p.second),
                        pair_features(p, pattern_labels(found, p)), modality_features(p))
             for sent in doc.sents for p in sentence_pairs(sent, mentions)]
    typed = [(names[key], feats) for key, feats in (doc._.gk_type_features or {}).items()]
    return DocRecord(pairs, typed, list(found), names)


def read(nlp: Any, texts: Iterable[str], batch_size: int = 32) -> Iterator[DocRecord]:
    """One record per text, in order, parsed with ``nlp``."""
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield _record(doc)
