"""One type per entity per document, learned, and names the recogniser missed.

NER types the same opaque name a person in one sentence and an organisation in the
next, and misses many names outright ("the Eastern Sentinels", "Shaheen Dal"). This
step works on documents, not sentences:

1. every run of proper nouns no other source took becomes a candidate name;
2. every entity no gazetteer backs is described by all its mentions at once (the
   words of its name and, for each mention, the words and syntax around it);
3. the entity-type model (:class:`graphkit.learn.linear.LinearModel`, trained by
   ``make train``) gives it one type for the whole document, or says it is no entity
   (then its candidate-only mentions are dropped).

A place type is settled by role: a place that acts (subject, possessor) is a State,
otherwise a Location.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from graphkit.extract.anaphora import is_subject
from graphkit.learn.linear import LinearModel
from graphkit.model import Entity, slugify
from graphkit.vocab import EntityType

if TYPE_CHECKING:
    from graphkit.extract.mentions import Registry

NOT_ENTITY = "NOT"
PLACE = "PLACE"
# Classes of the model: the entity types, with State and Location as one PLACE.
CLASSES = (EntityType.MILITANT_GROUP.value, EntityType.PERSON.value,
           EntityType.ORGANIZATION.value, PLACE, NOT_ENTITY)
# Below these probabilities the earlier sources' type (or existence) stands.
RETYPE_AT = 0.6
DROP_AT = 0.5
# A name cue ("… Front", "Jaish-…") is strong evidence of a group: the model must be
# this sure to drop a name that has one.
DROP_CUED_AT = 0.8
_CONNECT = frozenset({"of", "al", "el", "ul", "e", "-", "'", "the", "de", "des", "du", "la",
                      "wal", "bin", "ibn", "y"})


def class_of(entity_type: str) -> str:
    return PLACE if entity_type in (EntityType.STATE.value, EntityType.LOCATION.value) \
        else entity_type


def name_chunks(doc: Doc, taken: set[int]) -> list[tuple[int, int]]:
    """Runs of proper nouns (joined by "of", "al-", hyphens) that no mention covers."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if i in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            i += 1
            continue
        end = i + 1
        while end < len(doc) and end not in taken and (
                (doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper()) or (
                doc[end].lower_ in _CONNECT and end + 1 < len(doc)
                and doc[end + 1].pos_ == "PROPN" and end + 1 not in taken)):
            end += 1
        out.append((i, end))
        i = end
    return out


def _context(span: Span) -> list[str]:
    doc, root = span.doc, span.root
    # the type the earlier sources gave (a place cue, NER's label), which the model learns
    # to trust or not; a candidate name has none
    prior = "none" if span.id_ == "chunk" else span.label_
    feats = [f"dep={root.dep_}", f"head={root.head.lemma_.lower()}",
             f"hd={root.dep_}:{root.head.lemma_.lower()}", f"src={span.id_}",
             f"prior={prior}", f"prior={prior}|{span.id_}"]
    if span.start > 0:
        feats += [f"prev={doc[span.start - 1].lower_}"]
        if span.start > 1:
            feats.append(f"prev2={doc[span.start - 2].lower_}_{doc[span.start - 1].lower_}")
    if span.end < len(doc):
        feats.append(f"next={doc[span.end].lower_}")
    if root.dep_ == "pobj":
        feats.append(f"prep={root.head.lower_}:{root.head.head.lemma_.lower()}")
    for child in root.children:
        if child.dep_ == "appos":
            feats.append(f"appos={child.lemma_.lower()}")
    if root.dep_ == "appos":
        feats.append(f"appos_of={root.head.lemma_.lower()}")
    feats += [f"ner={t.ent_type_}" for t in span if t.ent_type_][:1]
    if is_subject(span):
        feats.append("subject")
    return feats


def entity_features(spans: list[Span]) -> list[str]:
    """Features of one entity from all its (non-anaphoric) mentions in a document."""
    name = spans[0]
    words = [t.text for t in name]
    feats = [f"w={w.lower()}" for w in words] + [
        f"last={words[-1].lower()}", f"first={words[0].lower()}",
        f"suf={words[-1][-3:].lower()}", f"len={min(len(words), 5)}"]
    if len(words) == 1 and words[0].isupper():
        feats.append("acronym")
    feats += [f for span in spans for f in _context(span)]
    return sorted(set(feats))


def by_entity(spans: list[Span]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        if not span.id_.startswith("coref"):
            out[span.kb_id_].append(span)
    return out


def add_name_chunks(doc: Doc, spans: list[Span], registry: Registry) -> list[Span]:
    """Candidate names from proper-noun runs, as minted entities of source "chunk"."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    for start, end in name_chunks(doc, taken):
        text = doc[start:end].text
        entity = registry.entities.get(slugify(text)) or Entity(
            id=slugify(text), label=text, type=EntityType.MILITANT_GROUP, minted=True)
        out.append(registry.span(doc, start, end, entity, "chunk"))
    return sorted(out, key=lambda s: s.start)


def retype(spans: list[Span], registry: Registry, model: LinearModel) -> list[Span]:
    """Give each minted entity the model's type for the document, or drop it."""
    drop: set[str] = set()
    for key, mentions in by_entity(spans).items():
        entity = registry.entities[key]
        if not entity.minted:
            continue
        label, p = model.predict(entity_features(mentions))
        only_chunks = all(s.id_ == "chunk" for s in mentions)
        if label == NOT_ENTITY:
            cued = any(s.id_ == "cue" for s in mentions)
            if only_chunks or p >= (DROP_CUED_AT if cued else DROP_AT):
                drop.add(key)
            continue
        if p < RETYPE_AT and not only_chunks:
            continue
        new = EntityType(label) if label != PLACE else (
            EntityType.STATE if any(is_subject(s) or s.root.dep_ == "poss" for s in mentions)
            else EntityType.LOCATION)
        registry.entities[key] = replace(entity, type=new)
    return [Span(s.doc, s.start, s.end, label=registry.entities[s.kb_id_].type.value,
                 kb_id=s.kb_id_, span_id=s.id_) for s in spans if s.kb_id_ not in drop]
