"""Training examples: the annotated corpus read by the pipeline, pair by pair.

Each passage is parsed with the patterns on and the model off; every mention is
matched to a gold entity by its spelling or by its entity's label and aliases (the
scorer's rule); every mention pair of a sentence becomes one example per gold relation
between the two entities (``NONE`` when there is none), with the modality the
annotation gives. A mention that matches no gold entity (a misread name, a span cut
wrongly) relates nothing, so its pairs are ``NONE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from graphkit.evaluate import norm
from graphkit.extract.records import MentionRecord
from graphkit.learn import labels
from graphkit.training.corpus import names
from graphkit.vocab import Relation


@dataclass(frozen=True)
class Example:
    passage: str
    features: list[str]
    label: str
    modality_features: list[str]
    modality: str | None  # the gold modality of a true tie, else None
    tie: tuple[str, ...] = ()  # (passage, entity, entity) of a true tie, for multi-instance


def gold_index(passage: dict[str, Any]) -> tuple[dict[str, str], dict[frozenset, list]]:
    table: dict[str, str] = {}
    for slug, ent in passage.get("entities", {}).items():
        for name in [*names(ent, slug), slug]:
            table.setdefault(norm(name), slug)
    ties: dict[frozenset, list] = {}
    for st in passage.get("statements", []):
        ties.setdefault(frozenset((st["s"], st["o"])), []).append(st)
    return table, ties


def _slug(mention: MentionRecord, table: dict[str, str]) -> str | None:
    spellings = [] if mention.anaphor else [mention.text]
    return slug_of([*spellings, *mention.names], table)


def slug_of(spellings: list[str], table: dict[str, str]) -> str | None:
    """The gold entity one of the spellings names, exactly or inside its words."""
    for name in spellings:
        if norm(name) in table:
            return table[norm(name)]
    if not spellings:
        return None
    # "northern Burundi", "the Zarnosh group": the longest gold name among its words
    words = [norm(w) for w in spellings[0].split()]
    for size in range(len(words) - 1, 0, -1):
        for i in range(len(words) - size + 1):
            key = "".join(words[i:i + size])
            if len(key) >= 4 and key in table:
                return table[key]
    return None


def examples(nlp: Any, passages: Iterable[dict[str, Any]]) -> Iterator[Example]:
    """Examples of every passage, parsed with ``nlp`` (a pipeline whose relation
    component runs the patterns only)."""
    from graphkit.extract.records import read

    passages = list(passages)
    for record, passage in zip(read(nlp, [str(p["text"]) for p in passages]), passages,
                               strict=True):
        table, ties = gold_index(passage)
        for pair in record.pairs:
            a, b = _slug(pair.first, table), _slug(pair.second, table)
            if a is not None and a == b:
                continue
            # a mention of no gold entity relates nothing (a misread name, a date)
            gold = ties.get(frozenset((a, b)), []) if a and b else []
            if not gold or a is None or b is None:
                yield Example(passage["id"], pair.features, labels.NONE, [], None)
                continue
            for st in gold:
                label = labels.label_for(Relation(st["p"]), forward=st["s"] == a)
                yield Example(passage["id"], pair.features, label, pair.modality_features,
                              st.get("modality", "asserted"), (passage["id"], *sorted((a, b))))


@dataclass(frozen=True)
class TypeExample:
    passage: str
    features: list[str]
    label: str  # an entity_types class


def type_examples(nlp: Any, passages: Iterable[dict[str, Any]]) -> Iterator[TypeExample]:
    """One example per minted entity of each passage (a pipeline whose entity layer is
    in "collect" mode): its gold type class, or NOT when it names no gold entity."""
    from graphkit.extract.entity_types import NOT_ENTITY, class_of
    from graphkit.extract.records import read

    passages = list(passages)
    for record, passage in zip(read(nlp, [str(p["text"]) for p in passages]), passages,
                               strict=True):
        table, _ = gold_index(passage)
        for spellings, feats in record.entities:
            slug = slug_of(list(spellings), table)
            gold = passage["entities"][slug]["type"] if slug else None
            yield TypeExample(passage["id"], feats, class_of(gold) if gold else NOT_ENTITY)
