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


def _slug(span: Any, entities: dict[str, Any], table: dict[str, str]) -> str | None:
    spellings = [] if span.id_.startswith("coref") else [span.text]
    entity = entities.get(span.kb_id_)
    if entity is not None:
        spellings += [entity.label, *entity.aliases]
    return slug_of(spellings, table)


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
    from graphkit.extract.mentions import SPAN_KEY
    from graphkit.extract.pairs import (
        modality_features,
        pair_features,
        sentence_pairs,
    )
    from graphkit.extract.scoring import pattern_table

    items = [(str(p["text"]), p) for p in passages]
    for doc, passage in nlp.pipe(items, as_tuples=True, batch_size=32):
        table, ties = gold_index(passage)
        entities = doc._.gk_entities or {}
        found = doc._.gk_relations or []
        mentions = list(doc.spans.get(SPAN_KEY, []))
        for sent in doc.sents:
            for pair in sentence_pairs(sent, mentions):
                a = _slug(pair.first, entities, table)
                b = _slug(pair.second, entities, table)
                if a is not None and a == b:
                    continue
                feats = pair_features(pair, pattern_table(found, pair))
                # a mention of no gold entity relates nothing (a misread name, a date)
                gold = ties.get(frozenset((a, b)), []) if a and b else []
                if not gold or a is None or b is None:
                    yield Example(passage["id"], feats, labels.NONE, [], None)
                    continue
                mod_feats = modality_features(pair)
                for st in gold:
                    label = labels.label_for(Relation(st["p"]), forward=st["s"] == a)
                    yield Example(passage["id"], feats, label, mod_feats,
                                  st.get("modality", "asserted"),
                                  (passage["id"], *sorted((a, b))))


@dataclass(frozen=True)
class TypeExample:
    passage: str
    features: list[str]
    label: str  # an entity_types class


def type_examples(nlp: Any, passages: Iterable[dict[str, Any]]) -> Iterator[TypeExample]:
    """One example per minted entity of each passage (a pipeline whose entity layer is
    in "collect" mode): its gold type class, or NOT when it names no gold entity."""
    from graphkit.extract.entity_types import NOT_ENTITY, class_of

    items = [(str(p["text"]), p) for p in passages]
    for doc, passage in nlp.pipe(items, as_tuples=True, batch_size=32):
        table, _ = gold_index(passage)
        entities = doc._.gk_entities or {}
        for key, feats in (doc._.gk_type_features or {}).items():
            entity = entities[key]
            slug = slug_of([entity.label, *entity.aliases], table)
            gold = passage["entities"][slug]["type"] if slug else None
            yield TypeExample(passage["id"], feats, class_of(gold) if gold else NOT_ENTITY)
