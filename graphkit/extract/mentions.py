"""Mentions: where a text names a group, person, state, organisation or place.

The ``gk_mentions`` component combines three sources, most trusted first: the
gazetteer (every spelling and acronym it lists), name cues ("… Front", "Jaish-…",
"Lashkar-…", which find groups no list knows) and spaCy's NER. It then resolves
acronyms defined in parentheses, short person names ("Mehsud" after "Noor Wali
Mehsud"), state metonyms ("the Afghan government") and anaphora ("the group", "its")
to the entity they refer to. Each mention becomes a Span in ``doc.spans["gk_mentions"]``
whose label is the entity class and whose ``kb_id_`` is the entity id; the entities
themselves are in ``doc._.gk_entities``.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from graphkit.gazetteer import Gazetteer, normalize
from graphkit.model import Entity, slugify
from graphkit.vocab import EntityType

SPAN_KEY = "gk_mentions"
NAMES = json.loads((Path(__file__).parent / "names.json").read_text(encoding="utf-8"))
GROUP_CUES = frozenset(NAMES["group_cues"])
ORG_CUES = frozenset(NAMES["organization_cues"])
STATE_FORCE_NOUNS = frozenset(NAMES["state_force_nouns"])
CONNECTORS = frozenset(NAMES["connectors"])
ANAPHORA_NOUNS = frozenset(NAMES["anaphora_nouns"])
ANAPHORA_PRONOUNS = frozenset(NAMES["anaphora_pronouns"])
DEMONYMS: dict[str, str] = NAMES["demonyms"]
PLACE_CUES = frozenset(NAMES["place_cues"])
DIRECTIONS = frozenset(NAMES["directions"])
# A demonym names a state when it modifies one of these ("Iranian backing", "Israeli
# airstrike"), never when it only describes a group ("an Iraqi militia").
STATE_ACTION_NOUNS = STATE_FORCE_NOUNS | frozenset(NAMES["state_action_nouns"])
NER_TYPES = {"PERSON": EntityType.PERSON, "GPE": EntityType.STATE, "LOC": EntityType.LOCATION,
             "FAC": EntityType.LOCATION, "ORG": EntityType.MILITANT_GROUP,
             "NORP": EntityType.MILITANT_GROUP}
# Source priorities when candidate spans overlap: a gazetteer name beats a cue name
# beats NER, and a longer span beats a shorter one of the same source.
PRIORITY = {"gaz": 3, "cue": 2, "ner": 1}
ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z0-9'\-]{1,11})\s*\)")
# "Yemen-based", "Syria-headquartered": the name before the hyphen is a place.
PLACED = frozenset({"base", "based", "headquarter", "headquartered", "station", "stationed",
                    "locate", "located", "centre", "center", "centred", "centered"})
LOCATIVE_PREPS = frozenset({"in", "across", "throughout", "into", "inside", "within", "near",
                            "around", "at", "over", "along", "outside"})
PLACE_PREPS = frozenset({"in", "across", "throughout", "into", "inside", "within", "near",
                         "around", "from", "at", "to", "over", "along", "outside", "of"})


def _strip(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive or punctuation."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'") or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _unique_name_parts(entities: list[Entity]) -> dict[str, Entity]:
    """Each word of a known person's names that belongs to that person alone."""
    owners: dict[str, set[str]] = {}
    by_id = {}
    for entity in entities:
        if entity.type != EntityType.PERSON:
            continue
        by_id[entity.id] = entity
        for name in (entity.label, *entity.aliases):
            for word in name.replace("-", " ").split():
                if len(word) >= 5 and word[:1].isupper():
                    owners.setdefault(word.lower(), set()).add(entity.id)
    return {w: by_id[next(iter(ids))] for w, ids in owners.items() if len(ids) == 1}


def _is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return len(form) <= 5 and bool(letters) and all(c.isupper() for c in letters)


class MentionFinder:
    """The ``gk_mentions`` pipeline component."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.by_id = {e.id: e for e in gazetteer.entities}
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower: dict[str, list[Doc]] = {}
        exact: dict[str, list[Doc]] = {}
        forms = list(gazetteer.surface_forms())
        for form, entity in forms:
            pattern = nlp.make_doc(form)
            # Short acronyms match case-sensitively so "is"/"us" never become IS/US.
            target = exact if _is_acronym(form) else lower
            target.setdefault(entity.id, []).append(pattern)
        for key, patterns in lower.items():
            self.lower.add(key, patterns)
        self.person_by_name = _unique_name_parts(gazetteer.entities)
        # Groups whose branches are named "<group> in <place>" ("al-Qaeda in Yemen")
        self.brands = frozenset(normalize(form.split(" in ", 1)[0])
                                for form, _entity in forms if " in " in form)
        for key, patterns in exact.items():
            self.exact.add(key, patterns)

    def __call__(self, doc: Doc) -> Doc:
        registry = _Registry(self)
        spans = self._select(doc, self._candidates(doc, registry))
        spans = _add_acronyms(doc, spans, registry)
        spans = _link_short_names(spans, registry)
        spans = _add_known_as(doc, spans, registry)
        spans = _add_state_metonyms(doc, spans, registry)
        spans = _add_place_names(doc, spans, registry)
        spans = _add_named_by_noun(doc, spans, registry)
        spans = _add_anaphora(doc, spans, registry)
        doc.spans[SPAN_KEY] = [_typed_for_role(s, registry) for s in spans]
        doc._.gk_entities = registry.finish()
        return doc

    # -- candidates --------------------------------------------------------------------
    def _candidates(self, doc: Doc, registry: _Registry) -> list[Span]:
        out: list[Span] = []
        for matcher in (self.lower, self.exact):
            for match_id, start, end in matcher(doc):
                entity = self.by_id[doc.vocab.strings[match_id]]
                start, end = _strip(doc, start, end)
                longer = _extend_name_right(doc, start, end) if start < end else end
                if longer > end:  # "Mai-Mai Kifaru": a named unit of a known kind
                    resolved = registry.resolve(doc, start, longer, entity.type, "cue")
                    if resolved is not None:
                        out.append(resolved)
                elif start < end:
                    out.append(registry.span(doc, start, end, entity, "gaz"))
        known = {i for s in out for i in range(s.start, s.end)}
        for start, end in _cue_names(doc, known):
            # A run made only of known names and connectors ("Israel and Hamas") is a
            # coordination of those names, not a new group.
            tokens = doc[start:end]
            if any(t.lower_ in ("and", "&", ",") for t in tokens) and all(
                    t.i in known or t.lower_ in CONNECTORS for t in tokens):
                continue
            if _known_in_the_place(doc, start, end, known, self.brands):
                continue
            cue = registry.resolve(doc, start, end, EntityType.MILITANT_GROUP, "cue")
            if cue is not None:
                out.append(cue)
        for ent in doc.ents:
            etype = NER_TYPES.get(ent.label_)
            if etype is None:
                continue
            start, end = _strip(doc, ent.start, ent.end)
            comma = next((t.i for t in doc[start:end] if t.text == ","), None)
            if comma is not None:  # "Poso, Central Sulawesi": the place, then its region
                end = comma
            if ent.label_ == "PERSON":
                start = _extend_name_left(doc, start)
            elif start < end:
                end = _extend_name_right(doc, start, end)
            if start >= end:
                continue
            span = registry.resolve(doc, start, end, etype, "ner",
                                    mint=ent.label_ != "NORP")
            if span is not None:
                out.append(span)
        return out

    @staticmethod
    def _select(doc: Doc, spans: list[Span]) -> list[Span]:
        people = [s for s in spans if s.id_ == "ner" and s.label_ == EntityType.PERSON.value]
        # A longer person name around a known one is someone else ("Hafiz Saeed Khan"
        # is not "Hafiz Saeed"): the longer NER span wins over the gazetteer's.
        spans = [s for s in spans if not (
            s.id_ == "gaz" and s.label_ == EntityType.PERSON.value and any(
                p.start <= s.start and s.end <= p.end and len(p) > len(s) for p in people))]
        # Gazetteer and cue names compete by length ("the Sahel Salvation Front" beats
        # "Sahel"); NER spans come last, being the least reliable.
        # "the anti-Taliban movement", "pro-Assad holdouts" name no actor
        spans = [s for s in spans if not (s.start >= 2 and doc[s.start - 1].text == "-" and
                                          doc[s.start - 2].lower_ in ("anti", "pro", "counter"))]
        ranked = sorted(spans, key=lambda s: (s.id_ == "ner", -len(s), -PRIORITY[s.id_],
                                              s.start))
        taken: set[int] = set()
        chosen: list[Span] = []
        for span in ranked:
            if taken.isdisjoint(range(span.start, span.end)):
                chosen.append(span)
                taken.update(range(span.start, span.end))
        return sorted(chosen, key=lambda s: s.start)


class _Registry:
    """The entities of one document, with every surface form seen for each."""

    def __init__(self, finder: MentionFinder) -> None:
        self.finder = finder
        self.entities: dict[str, Entity] = {}
        self.forms: dict[str, list[str]] = {}
        self.acronyms: dict[str, str] = {}

    def span(self, doc: Doc, start: int, end: int, entity: Entity, source: str) -> Span:
        if entity.id not in self.entities:
            self.entities[entity.id] = entity
            self.forms[entity.id] = []
        text = doc[start:end].text
        if text not in self.forms[entity.id]:
            self.forms[entity.id].append(text)
        return Span(doc, start, end, label=entity.type.value, kb_id=entity.id, span_id=source)

    def resolve(self, doc: Doc, start: int, end: int, etype: EntityType, source: str,
                mint: bool = True) -> Span | None:
        text = doc[start:end].text
        known = self.finder.gazetteer.lookup(text)
        if known is not None:
            return self.span(doc, start, end, known, "gaz")
        if not mint or not re.search(r"[A-Za-z]", text) or text.lower() in DEMONYMS:
            return None
        if etype == EntityType.MILITANT_GROUP:
            words = {t.lower_ for t in doc[start:end]}
            if doc[end - 1].lower_ in PLACE_CUES:
                etype = EntityType.LOCATION  # "Garissa University College" is a place
            elif words & ORG_CUES and not words & (GROUP_CUES - {"group", "organisation",
                                                                 "organization", "council"}):
                etype = EntityType.ORGANIZATION
        root = doc[start:end].root
        cued = any(t.lower_ in STRONG_GROUP_CUES for t in doc[start:end])
        if source == "ner" and not cued and _in_place_phrase(root):
            etype = EntityType.LOCATION  # "the provinces of Yala and Pattani", "near Gao"
        if etype == EntityType.PERSON and any(
                t.lower_ in STRONG_GROUP_CUES for t in doc[start:end]):
            etype = EntityType.MILITANT_GROUP  # NER read "Jama'at Ahl al-Buhayra" as a person
        if etype == EntityType.STATE and end - start == 1 and root.dep_ in (
                "amod", "compound") and root.head.pos_ == "NOUN" and (
                root.head.lemma_.lower() not in PLACE_CUES):
            return None  # an adjective such as "the Saharan branch" names no state
        if etype == EntityType.PERSON and root.dep_ == "pobj" and root.head.lower_ in (
                "in", "near", "at", "across", "around", "outside", "inside", "throughout"):
            etype = EntityType.LOCATION  # "attacked a convoy near Gao": a place
        if etype in (EntityType.PERSON, EntityType.MILITANT_GROUP) and (root.dep_ == "dobj" or (
                root.dep_ == "conj" and root.head.dep_ == "dobj")) and (
                _verb_of(root).lemma_.lower() in TAKING):
            etype = EntityType.LOCATION  # "captured Goma": a place
        if etype == EntityType.PERSON and " " not in text and len(text) >= 5:
            known = self.finder.person_by_name.get(text.lower())
            if known is not None:
                return self.span(doc, start, end, known, "gaz")
        if etype == EntityType.STATE and not is_subject(doc[start:end]) and (
                root.dep_ != "poss"):
            # A place the gazetteer does not know acts only as subject or possessor
            # ("Eritrea's troops"); elsewhere it is a town or region ("captured Mosul").
            etype = EntityType.LOCATION
        entity_id = slugify(text)
        existing = self.entities.get(entity_id)
        entity = existing or Entity(id=entity_id, label=text, type=etype, minted=True)
        return self.span(doc, start, end, entity, source)

    def finish(self) -> dict[str, Entity]:
        out = {}
        for key, entity in self.entities.items():
            aliases = list(entity.aliases)
            for form in self.forms.get(key, []):
                if form != entity.label and form not in aliases:
                    aliases.append(form)
            out[key] = replace(entity, aliases=tuple(aliases))
        return out


def _in_place_phrase(token: Token) -> bool:
    """A name that a place noun or a place preposition introduces is a place."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ != "pobj":
        return False
    prep = token.head
    return (prep.lower_ == "of" and prep.head.lemma_.lower() in PLACE_HEADS | PLACE_CUES) or (
        prep.lower_ in ("near", "around", "outside", "inside", "throughout", "across")) or (
        prep.lower_ in ("in", "at") and prep.head.lemma_.lower() in PLACED | {
            "operate", "active", "attack", "fight", "kill", "strike", "bomb", "hide",
            "shelter", "train", "live", "arrest", "capture"})


TAKING = frozenset({"capture", "seize", "overrun", "overran", "storm", "retake", "recapture",
                    "occupy", "besiege", "blockade", "control", "hold", "enter", "raid",
                    "bomb", "shell", "encircle", "surround", "liberate"})


def _verb_of(token: Token) -> Token:
    node = token
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node
        node = node.head
    return node


def _extend_name_left(doc: Doc, start: int) -> int:
    """Take in capitalised name parts the NER left out ("the cleric [Asim] Umar")."""
    while start > 0:
        prev = doc[start - 1]
        if (prev.pos_ == "PROPN" and prev.text[:1].isupper() and prev.dep_ == "compound"
                and prev.ent_type_ in ("", "PERSON") and not prev.is_sent_start
                and prev.lower_ not in DEMONYMS):
            start -= 1
        else:
            break
    return start


MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december", "monday", "tuesday",
                    "wednesday", "thursday", "friday", "saturday", "sunday"})


def _extend_name_right(doc: Doc, start: int, end: int) -> int:
    """"Mai-Mai Kifaru": a name the NER cut before the noun its words modify."""
    while end < len(doc):
        if (doc[end].text == "-" and end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN"
                and doc[end + 1].text[:1].isupper()):
            end += 2  # "CSP-DPA"
            continue
        if doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() and (
                doc[end - 1].dep_ in ("compound", "nmod") and doc[end - 1].head.i == end) and (
                doc[end].lower_ not in GROUP_CUES | STATE_FORCE_NOUNS | PLACE_HEADS | ORG_CUES):
            end += 1
            continue
        break
    return end


def _name_like(token: Token) -> bool:
    if token.lower_ in MONTHS and (token.ent_type_ == "DATE" or token.lower_ != "may"):
        return False
    text = token.text
    return (text[:1].isupper() and any(c.isalpha() for c in text)) or token.lower_ in CONNECTORS


PLURAL_GROUP_NOUNS = frozenset({"groups", "movements", "factions", "organisations",
                                "organizations", "sides", "rivals", "militias", "networks",
                                "outfits", "allies", "insurgencies", "parties", "two"})
# Name words no person's name contains.
STRONG_GROUP_CUES = GROUP_CUES - {"state", "islamic", "party", "union", "council", "league",
                                  "guard", "guards", "force", "forces", "hamas", "front"}
# Creeds and peoples that describe a group without naming it ("a Salafi militia").
CREEDS = frozenset({"salafi", "sunni", "shia", "shiite", "shi'ite", "wahhabi", "deobandi",
                    "sufi", "tuareg", "fulani", "hutu", "tutsi", "pashtun", "baloch", "kurdish",
                    "kurd", "arab", "berber", "tamil", "christian", "muslim", "jihadi",
                    "hema", "lendu", "bedouin", "druze", "alawite", "yazidi", "houthi",
                    "mai-mai", "maoist", "marxist", "leftist", "rightist", "loyalist",
                    "republican", "tribal", "ethnic", "dissident", "rebel"})
PEOPLE_OF = frozenset({"fighters", "rebels", "militants", "insurgents", "members", "supporters",
                       "loyalists", "commanders", "leaders", "gunmen", "remnants", "units",
                       "elements", "veterans", "defectors", "dissidents", "cadres"})
LOWER_GROUP_NOUNS = frozenset({"group", "network", "movement", "militia", "faction",
                               "brigade", "brigades", "organisation", "organization"})


def _proper_name(token: Token) -> bool:
    """A capitalised word that is a name, not a sentence opener or a nationality."""
    return (token.pos_ == "PROPN" and not token.is_sent_start and token.ent_type_ != "NORP"
            and token.lower_ not in DEMONYMS and token.lower_ not in CREEDS
            and not token.lower_.endswith(("ist", "ists")))


def _cue_names(doc: Doc, known: set[int]) -> list[tuple[int, int]]:
    """Capitalised name runs that contain a group cue word ("Katibat al-Furqan")."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(doc):
        # A name starts with a capital, or with an Arabic article before a capitalised
        # word ("al-Qaeda in Yemen").
        article = doc[i].lower_ in ("al", "el", "ad", "ash", "as") and i + 2 < len(doc) and (
            doc[i + 1].text == "-" and doc[i + 2].text[:1].isupper())
        word = doc[i].text
        if not ((word[:1].isupper() and word.replace("'", "").replace("’", "").isalpha())
                or article):
            i += 1
            continue
        j = i + 1
        while j < len(doc) and _name_like(doc[j]) and not doc[j].is_sent_start:
            j += 1
        for start, end in _split_coordinated(doc, i, j, known):
            span = _cue_span(doc, start, end)
            if span is not None:
                out.append(span)
        i = j
    return out


def _split_coordinated(doc: Doc, start: int, end: int,
                       known: set[int]) -> list[tuple[int, int]]:
    """"Katibat al-Nur and the Coast Brigade" is two names; "Group for Preaching and
    Combat" is one: split at "and" only when both sides read as group names."""
    for k in range(start + 1, end - 1):
        if doc[k].lower_ not in ("and", "'s", "’s"):
            continue
        left = {t.lower_ for t in doc[start:k]}
        right = [t for t in doc[k + 1:end] if t.text[:1].isupper()]
        after = k + 2 if doc[k + 1].lower_ == "the" else k + 1
        if doc[k].lower_ in ("'s", "’s") and k - 1 in known:
            return [(start, k), *_split_coordinated(doc, k + 1, end, known)]
        if (left & GROUP_CUES and (doc[k + 1].lower_ == "the" or (
                len(right) >= 2 and {t.lower_ for t in right} & GROUP_CUES))) or (
                k - 1 in known or after in known):
            return [(start, k), *_split_coordinated(doc, k + 1, end, known)]
    return [(start, end)]


def _cue_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    while end > start and doc[end - 1].lower_ in CONNECTORS:
        end -= 1
    start, end = _strip(doc, start, end)
    # A capitalised sentence opener ("Renamed …") or a plural noun ("Islamists of …")
    # is not part of a group's name.
    # "Fighters of the Red Delta Army": people of a group are not part of its name
    while start + 1 < end and doc[start].lower_ in PEOPLE_OF and doc[start + 1].lower_ in (
            "of", "from"):
        start += 2
    start, end = _strip(doc, start, end)
    while start < end and doc[start].lower_ not in GROUP_CUES and (
            doc[start].pos_ != "PROPN" or doc[start].lower_.endswith(("ists", "ites"))) and not (
            doc[start].lower_ in CONNECTORS and start + 1 < end and doc[start + 1].text == "-"):
        start += 1
    start, end = _strip(doc, start, end)
    if start >= end:
        return None
    words = [t.lower_ for t in doc[start:end]]
    capitals = sum(1 for t in doc[start:end] if t.text[:1].isupper())
    if capitals == 1 and end < len(doc) and doc[end].lower_ in LOWER_GROUP_NOUNS and (
            _proper_name(doc[start])):
        return start, end + 1  # "the Maute group", "the Haqqani network"
    named = end + 2 < len(doc) and doc[end].text == "(" and doc[end + 1].text.isupper()
    if capitals >= 2 and any(w in GROUP_CUES for w in words) and (named or not (
            words[0] in DEMONYMS and words[-1] in STATE_FORCE_NOUNS)):
        return start, end
    return None


def _add_acronyms(doc: Doc, spans: list[Span], registry: _Registry) -> list[Span]:
    """"Long Name (LN)": later bare "LN" tokens refer to the same entity."""
    by_end = {s.end: s for s in spans}
    for match in ACRONYM_DEF.finditer(doc.text):
        inner = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if inner is None:
            continue
        before = by_end.get(inner.start - 1)
        if before is not None and before.kb_id_:
            registry.acronyms[match.group(1)] = before.kb_id_
    if not registry.acronyms:
        return spans
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    for token in doc:
        target = registry.acronyms.get(token.text)
        if target and token.i not in taken:
            out.append(registry.span(doc, token.i, token.i + 1, registry.entities[target], "gaz"))
        elif target:
            # NER may have tagged the acronym itself as a separate minted entity.
            out = [registry.span(doc, s.start, s.end, registry.entities[target], "gaz")
                   if s.start == token.i and s.end == token.i + 1 and s.kb_id_ != target else s
                   for s in out]
    return sorted(out, key=lambda s: s.start)


def _link_short_names(spans: list[Span], registry: _Registry) -> list[Span]:
    """A minted one-word person name refers to the latest full name containing it."""
    out: list[Span] = []
    for span in spans:
        entity = registry.entities[span.kb_id_]
        # NER sometimes calls a lone surname an organisation ("Israel killed Sinwar")
        lone = entity.minted and len(span) == 1 and span.id_ == "ner"
        if (entity.type == EntityType.PERSON and entity.minted) or lone:
            words = set(span.text.split())
            for prev in reversed(out):
                prev_entity = registry.entities[prev.kb_id_]
                if (prev_entity.type == EntityType.PERSON and prev.kb_id_ != span.kb_id_
                        and words < set(prev_entity.label.split())):
                    span = registry.span(span.doc, span.start, span.end, prev_entity, "gaz")
                    break
        out.append(span)
    return out


ALIAS_CUES = frozenset({"known", "alias", "nicknamed", "dubbed", "called", "aka"})


def _add_known_as(doc: Doc, spans: list[Span], registry: _Registry) -> list[Span]:
    """"P, known as Q" / "P, alias Q": Q is another name of P's entity."""
    by_token = {i: s for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    for token in doc:
        if token.lower_ not in ALIAS_CUES:
            continue
        anchor = token.head if token.dep_ in ("acl", "amod", "advcl") else None
        if token.lower_ in ("alias", "aka"):
            anchor = doc[token.i - 2] if token.i >= 2 and doc[token.i - 1].text == "," else None
        owner = by_token.get(anchor.i) if anchor is not None else None
        if owner is None:
            continue
        start = token.i + 1
        if start < len(doc) and doc[start].lower_ == "as":
            start += 1
        end = start
        while end < len(doc) and (doc[end].text[:1].isupper() or doc[end].lower_ in (
                "al", "el", "-", "abu", "bin", "de", "la")) and doc[end].text not in (",", "."):
            end += 1
        while end > start and doc[end - 1].lower_ in ("-", "de", "la"):
            end -= 1
        if end - start < 1:
            continue
        existing = [s for s in out if s.start < end and start < s.end]
        if any(s.start != start or s.end != end or not registry.entities[s.kb_id_].minted
               for s in existing):
            continue  # a different known name is there already
        out = [s for s in out if s not in existing]
        span = registry.span(doc, start, end, registry.entities[owner.kb_id_], "gaz")
        out.append(span)
        by_token.update({i: span for i in range(start, end)})
    return sorted(out, key=lambda s: s.start)


def _country(registry: _Registry, name: str) -> Entity:
    known = registry.finder.gazetteer.lookup(name)
    return known or Entity(id=slugify(name), label=name, type=EntityType.STATE, minted=True)


def _add_state_metonyms(doc: Doc, spans: list[Span], registry: _Registry) -> list[Span]:
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


def _known_in_the_place(doc: Doc, start: int, end: int, known: set[int],
                        brands: frozenset[str]) -> bool:
    """"the Taliban in the Panjshir", "the Taliban in Afghanistan": a known group followed
    by where it is, not a new name (names of that shape, "al-Qaeda in the Islamic
    Maghreb", "al-Qaeda in Yemen", are in the gazetteer)."""
    for k in range(start + 1, end - 1):
        if doc[k].lower_ == "in" and (doc[k + 1].lower_ == "the" or k + 1 in known) and all(
                i in known for i in range(start, k) if doc[i].text[:1].isupper()):
            # a brand with regional franchises ("al-Qaeda in Saudi Arabia") names one
            return normalize(doc[start:k].text) not in brands
    return False


def _named_force(token: Token) -> bool:
    """"the Syrian National Army (SNA)": a demonym inside a name defined by an acronym."""
    doc = token.doc
    end = token.head.i + 1
    return end + 1 < len(doc) and doc[end].text == "(" and doc[end + 1].text.isupper()


PLACE_HEADS = frozenset({"region", "province", "district", "valley", "mountains", "forest",
                         "forests", "county", "city", "town", "village", "area",
                         "territory", "governorate", "prefecture", "department", "peninsula",
                         "island", "islands", "hills", "desert", "basin", "delta", "corridor",
                         "municipality", "commune", "suburb", "neighbourhood", "neighborhood",
                         "camp", "border", "coast", "plateau", "enclave", "zone"})


def _add_place_names(doc: Doc, spans: list[Span], registry: _Registry) -> list[Span]:
    """"the Bastar region", "Masisi territory": a name before a place noun is a place."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
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
        misread = [s for s in out if s.start == start and s.end == end and s.id_ == "ner"
                   and registry.entities[s.kb_id_].minted]
        if misread:
            out = [s for s in out if s not in misread]
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


GROUPISH = frozenset({"group", "groups", "faction", "factions", "militia", "militias", "gang",
                      "gangs", "federation", "federations", "coalition", "movement",
                      "movements", "organisation", "organization", "outfit", "cartel",
                      "cartels", "brigade", "brigades", "network", "networks", "cell",
                      "cells", "insurgency", "rebels", "alliance"})


def _add_named_by_noun(doc: Doc, spans: list[Span], registry: _Registry) -> list[Span]:
    """"two gang federations, G9 and G-Pep": names set beside a group noun are groups,
    however unusual their form."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    for token in doc:
        if token.lower_ not in GROUPISH:
            continue
        for child in token.children:
            if child.dep_ not in ("appos", "conj") or child.pos_ != "PROPN":
                continue
            for name in [child, *[c for c in child.subtree if c.dep_ == "conj"
                                  and c.pos_ == "PROPN"]]:
                start = min(t.i for t in name.subtree if t.i <= name.i and (
                    t.pos_ == "PROPN" or t.text == "-"))
                if any(i in taken for i in range(start, name.i + 1)):
                    continue
                text = doc[start:name.i + 1].text
                entity = registry.finder.gazetteer.lookup(text) or Entity(
                    id=slugify(text), label=text, type=EntityType.MILITANT_GROUP, minted=True)
                out.append(registry.span(doc, start, name.i + 1, entity, "gaz"))
                taken.update(range(start, name.i + 1))
    return sorted(out, key=lambda s: s.start)


def _add_anaphora(doc: Doc, spans: list[Span], registry: _Registry) -> list[Span]:
    """"the group", "the network", "it", "its": the group they most likely stand for."""
    by_start = {s.start: s for s in spans}
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    plural: dict[int, list[str]] = {}
    last_plural: tuple[int, list[str]] | None = None
    seen: list[Span] = []  # group mentions so far, in order
    people: list[Span] = []
    for token in doc:
        span = by_start.get(token.i)
        if span is not None:
            kind = registry.entities[span.kb_id_].type
            if kind == EntityType.MILITANT_GROUP:
                seen.append(span)
            elif kind == EntityType.PERSON:
                people.append(span)
            continue
        if token.i in taken:
            continue
        if token.lower_ in PERSON_PRONOUNS:
            person = _person_antecedent(token, people)
            if person is not None:
                out.append(Span(doc, token.i, token.i + 1, label=person.label_,
                                kb_id=person.kb_id_, span_id="coref"))
            continue
        if not seen:
            continue
        pair = _the_two(token, seen)
        if pair:
            plural[token.i] = [s.kb_id_ for s in pair]
            antecedent: Span | None = pair[0]
        elif _is_anaphor(token):
            # An entity already named in this sentence is not what "the network" in the
            # same sentence means ("the franchise became the network's branch").
            predicative = token.dep_ == "poss" and (token.head.dep_ in ("attr", "oprd") or (
                token.head.dep_ == "pobj" and token.head.head.lower_ == "as"))
            # "X was proclaimed … as its branch": "its" is not X.
            here = _clause_subject_entities(token, out) if (
                token.pos_ == "NOUN" or predicative) else set()
            antecedent = _antecedent(token, [s for s in seen if s.kb_id_ not in here],
                                     registry)
        else:
            continue
        if antecedent is None:
            continue
        if token.lower_ in ("they", "their", "them") and last_plural and (
                token.i - last_plural[0] < 40):
            plural[token.i] = list(last_plural[1])
        elif token.lower_ in ("they", "their", "them") and _coordinated(antecedent):
            # "Ansar Dine and the MNLA … they": every conjunct
            plural[token.i] = [s.kb_id_ for s in seen if s.root in set(
                _conjuncts(antecedent.root))]
        if token.i in plural:
            last_plural = (token.i, plural[token.i])
        entity = registry.entities[antecedent.kb_id_]
        out.append(Span(doc, token.i, token.i + 1, label=entity.type.value, kb_id=entity.id,
                        span_id="coref+" if token.i in plural else "coref"))
    doc._.gk_plural = plural
    return sorted(out, key=lambda s: s.start)


PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})


def _person_antecedent(token: Token, people: list[Span]) -> Span | None:
    """"he", "his": the latest person named in this or the previous sentence, the latest
    subject among them first."""
    recent = _within(people, token, 1)
    if not recent:
        return None
    subjects = [p for p in recent if is_subject(p)]
    return (subjects or recent)[-1]


def _clause_subject_entities(token: Token, spans: list[Span]) -> set[str]:
    """Entities named as the subject of the clause ``token`` sits in (not as subject)."""
    node = token
    while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
        if node.dep_ in ("nsubj", "nsubjpass"):
            return set()
        node = node.head
    subjects = {t.i for c in node.children if c.dep_ in ("nsubj", "nsubjpass")
                for t in c.subtree}
    return {s.kb_id_ for s in _within(spans, token, 0) if s.start in subjects
            and s.start < token.i}


def _conjuncts(token: Token) -> list[Token]:
    """The members of the coordination ``token`` is in (lists read as appositions too)."""
    from graphkit.extract.roles import expand_conj

    first = token
    while first.head.i != first.i and (first.dep_ == "conj" or (
            first.dep_ == "appos" and any(c.dep_ == "conj" for c in first.children))):
        first = first.head
    return expand_conj(first)


def _the_two(token: Token, seen: list[Span]) -> list[Span]:
    """"the two groups", "both movements": the last two groups named before."""
    if token.lower_ not in PLURAL_GROUP_NOUNS or token.pos_ not in ("NOUN", "PROPN", "NUM"):
        return []
    words = {c.lower_ for c in token.children if c.dep_ in ("nummod", "det", "predet")}
    if token.lower_ == "two":
        words = {"two"} if "the" in words else set()  # "the two have begun to …"
    if not ({"two", "both"} & words):
        return []
    # The two groups the passage is about: those named in this sentence, then the
    # subjects of earlier ones, then any group named before.
    here = _within(seen, token, 0)
    subjects = [s for s in seen if s.root.dep_ in ("nsubj", "nsubjpass")]
    distinct: list[Span] = []
    for pool in (here, subjects, seen):
        for span in reversed(pool):
            if all(span.kb_id_ != d.kb_id_ for d in distinct):
                distinct.append(span)
            if len(distinct) == 2:
                return distinct
    return []


def _coordinated(span: Span) -> bool:
    return len(_conjuncts(span.root)) > 1


def _antecedent(token: Token, seen: list[Span], registry: _Registry) -> Span | None:
    """Named-in-the-noun first ("the network" → "Haqqani Network"), then the latest
    subject, then the latest group; a singular pronoun skips coordinated groups."""
    recent = _within(seen, token, 2)
    if not recent:
        return None
    if token.pos_ == "NOUN":
        word = token.lemma_.lower()
        for span in reversed(recent):
            entity = registry.entities[span.kb_id_]
            names = [entity.label, *registry.forms.get(entity.id, [])]
            if any(word in name.lower().split() for name in names):
                return span
    if any(c.lower_ in ("new", "latter", "newly", "younger") for c in token.children):
        return recent[-1]
    if token.lower_ in ("it", "its") or token.tag_ == "NN":
        # a singular reference is not one member of a coordination
        recent = [s for s in recent if not _coordinated(s)] or recent[-1:]
    elif token.lower_ in ("they", "them", "their"):
        # a plural pronoun prefers a coordination ("X and Y … fought them")
        recent = [s for s in recent if _coordinated(s)] or recent
    if token.dep_ == "poss" and token.pos_ == "NOUN":
        # "the group's leader": the group the passage is about, not merely the latest
        return salient(recent, token)
    subjects = [s for s in recent if s.root.dep_ in ("nsubj", "nsubjpass")]
    return (subjects or recent)[-1]


def is_subject(span: Span) -> bool:
    """Whether a mention is (part of) its clause's subject."""
    root = span.root
    while root.dep_ in ("compound", "appos", "conj") and root.head.i != root.i:
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass")


def salient(candidates: list[Span], token: Token) -> Span | None:
    """The group a reference most likely means: the one the passage is about.

    Each earlier mention scores 1, 1.5 more as a subject, 1 more when in this or the
    previous sentence; the passage's first group scores 1 more. Ties go to the latest.
    """
    if not candidates:
        return None
    first = candidates[0].kb_id_
    scores: dict[str, float] = {}
    latest: dict[str, int] = {}
    for span in candidates:
        score = 1.0 + (1.5 if is_subject(span) else 0.0) + (
            1.0 if _sentence_gap(token.doc, span.start, token.i) <= 1 else 0.0)
        scores[span.kb_id_] = scores.get(span.kb_id_, 0.0) + score
        latest[span.kb_id_] = span.start
    if first is not None:
        scores[first] += 1.0
    best = max(scores, key=lambda k: (scores[k], latest[k]))
    return next(s for s in reversed(candidates) if s.kb_id_ == best)


def sentence_numbers(doc: Doc) -> list[int]:
    """The sentence number of every token, computed once per document (a doc's
    ``sents`` is rebuilt on every access, which made reference resolution quadratic)."""
    cached = doc.user_data.get("gk_sentence_numbers")
    if cached is None or len(cached) != len(doc):
        cached, number = [], -1
        for token in doc:
            if token.i == 0 or token.is_sent_start:
                number += 1
            cached.append(number)
        doc.user_data["gk_sentence_numbers"] = cached
    return cached


def _sentence_gap(doc: Doc, start: int, end: int) -> int:
    numbers = sentence_numbers(doc)
    return numbers[end] - numbers[start]


def _within(spans: list[Span], token: Token, gap: int) -> list[Span]:
    """The spans (in document order, all before ``token``) at most ``gap`` sentences back."""
    numbers = sentence_numbers(token.doc)
    here = numbers[token.i]
    out: list[Span] = []
    for span in reversed(spans):
        if here - numbers[span.start] > gap:
            break
        out.append(span)
    return out[::-1]


def _is_anaphor(token: Token) -> bool:
    if token.lower_ in ANAPHORA_PRONOUNS:
        return token.lower_ != "it" or token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
    if token.lower_ in ANAPHORA_NOUNS and token.pos_ == "NOUN":
        if token.dep_ in ("appos", "attr", "oprd"):
            return False  # "X, the main group in …": a description, not a reference
        if any(c.dep_ == "prep" and c.lower_ in ("between", "with", "against")
               for c in token.children):
            return False  # "the alliance between X and Y" is the tie itself
        dets = [c.lower_ for c in token.children if c.dep_ in ("det", "poss")]
        modifiers = [c for c in token.children if c.dep_ in ("compound", "amod")
                     and c.pos_ == "PROPN"]
        return dets[:1] in (["the"], ["this"]) and not modifiers and not any(
            c.dep_ == "prep" and c.lower_ == "of" for c in token.children)
    return False


def _typed_for_role(span: Span, registry: _Registry) -> Span:
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


def register_extensions() -> None:
    if not Doc.has_extension("gk_entities"):
        Doc.set_extension("gk_entities", default=None)
    if not Doc.has_extension("gk_plural"):
        Doc.set_extension("gk_plural", default=None)
    if not Doc.has_extension("gk_relations"):
        Doc.set_extension("gk_relations", default=None)


def mention_entities(doc: Doc) -> dict[str, Any]:
    return doc._.gk_entities or {}
