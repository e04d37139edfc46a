"""States and places: demonyms that stand for states ("the Afghan government"),
place names the NER misses or mistypes, and a state named as a place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from graphkit.extract.lexicon import (
    DEMONYMS,
    DIRECTIONS,
    GROUP_CUES,
    LOCATIVE_PREPS,
    PLACE_CUES,
    PLACE_HEADS,
    PLACED,
    STATE_ACTION_NOUNS,
    TAKING,
)
from graphkit.model import Entity, slugify
from graphkit.vocab import EntityType

if TYPE_CHECKING:
    from graphkit.extract.mentions import Registry


def in_place_phrase(token: Token) -> bool:
    """A name that a place noun or a place preposition introduces is a place."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ != "pobj":
        return False
    prep = token.head
    if prep.lower_ == "of" and prep.head.lower_ == "out":
        return True  # "drove them out of Sinjar"
    return (prep.lower_ == "of" and prep.head.lemma_.lower() in PLACE_HEADS | PLACE_CUES) or (
        prep.lower_ in ("near", "around", "outside", "inside", "throughout", "across")) or (
        prep.lower_ in ("in", "at") and prep.head.lemma_.lower() in PLACED | {
            "operate", "active", "attack", "fight", "kill", "strike", "bomb", "hide",
            "shelter", "train", "live", "arrest", "capture"})


def verb_of(token: Token) -> Token:
    node = token
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node
        node = node.head
    return node


def _country(registry: Registry, name: str) -> Entity:
    known = registry.finder.gazetteer.lookup(name)
    return known or Entity(id=slugify(name), label=name, type=EntityType.STATE, minted=True)


def add_state_metonyms(doc: Doc, spans: list[Span], registry: Registry) -> list[Span]:
    """"the Afghan government", "Pakistani troops": the demonym names the state."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    for token in doc:
        start = token.i
        pair = f"{doc[token.i - 1].lower_} {token.lower_}" if token.i else ""
        country: str | None = DEMONYMS.get(token.lower_)
        if pair in DEMONYMS:  # "Sri Lankan", "Saudi Arabian"
            country, start = DEMONYMS[pair], token.i - 1
        head = token.head
        while head.dep_ == "conj" and head.lower_ in DEMONYMS and head.head.i != head.i:
            head = head.head  # "the British and Irish governments"
        if head.lower_ in DEMONYMS:
            head = head.head
        if (country and not taken & set(range(start, token.i + 1)) and head.i > token.i
                and not _named_force(token)
                and (head.lemma_.lower() in STATE_ACTION_NOUNS
                     or head.lower_ in STATE_ACTION_NOUNS)):
            out.append(registry.span(doc, start, token.i + 1, _country(registry, country), "gaz"))
    return sorted(out, key=lambda s: s.start)


def _named_force(token: Token) -> bool:
    """"the Syrian National Army (SNA)": a demonym inside a name defined by an acronym."""
    doc = token.doc
    end = token.head.i + 1
    return end + 1 < len(doc) and doc[end].text == "(" and doc[end + 1].text.isupper()


def add_place_names(doc: Doc, spans: list[Span], registry: Registry) -> list[Span]:
    """"the Bastar region", "Masisi territory": a name before a place noun is a place."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    # NER spans by range, so a misread name is found without scanning every span.
    from_ner = {(s.start, s.end): s for s in spans if s.id_ == "ner"}
    for token in doc:
        if (token.pos_ == "PROPN" and token.dep_ == "dobj" and token.i not in taken
                and token.head.lemma_.lower() in TAKING and token.text[:1].isupper()):
            start = min(t.i for t in token.subtree if t.i <= token.i and t.pos_ == "PROPN")
            if not any(i in taken for i in range(start, token.i + 1)):
                text = doc[start:token.i + 1].text  # "controlled Sanaa", "captured Goma"
                place = registry.finder.gazetteer.lookup(text) or Entity(
                    id=slugify(text), label=text, type=EntityType.LOCATION, minted=True)
                out.append(registry.span(doc, start, token.i + 1, place, "gaz"))
                taken.update(range(start, token.i + 1))
        # "the town of Manbij", "the provinces of Yala, Pattani and Narathiwat"
        if token.lemma_.lower() in PLACE_HEADS and token.text[:1].islower():
            for prep in token.children:
                if prep.dep_ != "prep" or prep.lower_ != "of":
                    continue
                for obj in prep.children:
                    if obj.dep_ != "pobj" or obj.pos_ != "PROPN":
                        continue
                    for name in [obj, *[c for c in obj.subtree if c.dep_ == "conj"
                                        and c.pos_ == "PROPN"]]:
                        start = min(t.i for t in name.subtree if t.i <= name.i and t.pos_ in (
                            "PROPN",))
                        if any(i in taken for i in range(start, name.i + 1)):
                            continue
                        text = doc[start:name.i + 1].text
                        if any(t.lower_ in GROUP_CUES for t in doc[start:name.i + 1]):
                            continue  # "camps of the Zhob Mujahideen Group": a group
                        place = registry.finder.gazetteer.lookup(text) or Entity(
                            id=slugify(text), label=text, type=EntityType.LOCATION, minted=True)
                        out.append(registry.span(doc, start, name.i + 1, place, "gaz"))
                        taken.update(range(start, name.i + 1))
        if token.lower_ not in PLACE_HEADS or token.text[:1].isupper() or token.i == 0:
            continue
        end = token.i
        start = end
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper(
                ) and doc[start - 1].lower_ not in DEMONYMS and doc[start - 1].ent_type_ != "NORP":
            start -= 1
        # a name the NER took for a person or group is, before "forest" or "mountains", a place
        misread = from_ner.get((start, end))
        if misread is not None and registry.entities[misread.kb_id_].minted:
            out.remove(misread)
            del from_ner[(start, end)]
            taken.difference_update(range(start, end))
        if start < end and f"{doc[start].lower_} {doc[end - 1].lower_}" in DEMONYMS:
            continue
        if start == end or any(i in taken for i in range(start, end)):
            continue
        text = doc[start:end].text
        place = registry.finder.gazetteer.lookup(text) or Entity(
            id=slugify(text), label=text, type=EntityType.LOCATION, minted=True)
        out.append(registry.span(doc, start, end, place, "gaz"))
        taken.update(range(start, end))
    return sorted(out, key=lambda s: s.start)


def typed_for_role(span: Span, registry: Registry) -> Span:
    """A state named as a place ("based in Pakistan") is a Location in that mention; a
    capital standing for its state ("Nairobi") is, as a place, the city itself; a
    direction in front of a place ("northern Mali") is part of the place's name."""
    entity = registry.entities[span.kb_id_]
    root = span.root
    if entity.type not in (EntityType.STATE, EntityType.LOCATION):
        return span
    as_place = entity.type == EntityType.LOCATION or (
        root.dep_ == "npadvmod" and root.head.lemma_.lower() in PLACED) or (
        root.dep_ == "dobj" and root.head.lemma_.lower() in TAKING) or (
        root.dep_ == "poss" and (root.head.lower_ in PLACE_CUES or (
            root.head.dep_ == "pobj" and root.head.head.lower_ in LOCATIVE_PREPS))) or (
        root.dep_ == "pobj" and (root.head.lower_ in LOCATIVE_PREPS or (
            root.head.lower_ == "of" and (root.head.head.lemma_.lower() in PLACE_CUES
                                          or root.head.head.lower_ in PLACE_CUES))))
    if not as_place:
        return span
    doc = span.doc
    start = span.start
    # "northern Mali", "north-western Nigeria", "south-east Niger"
    while start > 0 and (doc[start - 1].lower_ in DIRECTIONS or (
            doc[start - 1].text == "-" and start > 1 and doc[start - 2].lower_ in DIRECTIONS)):
        start -= 1
    if doc[start].text == "-":
        start += 1
    text = doc[start:span.end].text
    if start != span.start or (entity.type == EntityType.STATE and _is_city_alias(text, entity)):
        place = Entity(id=slugify(text), label=text, type=EntityType.LOCATION, minted=True)
        return registry.span(doc, start, span.end, place, "gaz")
    return Span(doc, span.start, span.end, label=EntityType.LOCATION.value,
                kb_id=span.kb_id_, span_id=span.id_)


def _is_city_alias(text: str, state: Entity) -> bool:
    """A one-word alias of a state that is not its name or acronym: its capital."""
    if text == state.label or " " in text or text.isupper() or "." in text:
        return False
    return text.lower() not in state.label.lower() and text.lower() not in DEMONYMS
