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

import re
from dataclasses import replace

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from graphkit.extract.anaphora import add_anaphora, is_subject
from graphkit.extract.entity_types import add_name_chunks, by_entity, entity_features, retype
from graphkit.extract.lexicon import (
    CONNECTORS,
    DEMONYMS,
    GROUP_CUES,
    NER_TYPES,
    ORG_CUES,
    PLACE_CUES,
    PRIORITY,
    STRONG_GROUP_CUES,
    TAKING,
)
from graphkit.extract.namecues import (
    add_acronyms,
    add_known_as,
    add_named_by_noun,
    cue_names,
    extend_name_left,
    extend_name_right,
    is_acronym,
    known_in_the_place,
    link_short_names,
    strip_edges,
    unique_name_parts,
)
from graphkit.extract.places import (
    add_place_names,
    add_state_metonyms,
    in_place_phrase,
    typed_for_role,
    verb_of,
)
from graphkit.gazetteer import Gazetteer, normalize
from graphkit.learn.linear import LinearModel
from graphkit.model import Entity, slugify
from graphkit.vocab import EntityType

SPAN_KEY = "gk_mentions"
HYPHENS = frozenset({"-", "–", "/"})


class MentionFinder:
    """The ``gk_mentions`` pipeline component."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer,
                 types: LinearModel | str | None = None) -> None:
        """``types``: the entity-type model, or "collect" (keep candidate names and
        record their features for training), or None (no learned typing)."""
        self.types = types
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
            target = exact if is_acronym(form) else lower
            target.setdefault(entity.id, []).append(pattern)
        for key, patterns in lower.items():
            self.lower.add(key, patterns)
        self.person_by_name = unique_name_parts(gazetteer.entities)
        # Groups whose branches are named "<group> in <place>" ("al-Qaeda in Yemen")
        self.brands = frozenset(normalize(form.split(" in ", 1)[0])
                                for form, _entity in forms if " in " in form)
        for key, patterns in exact.items():
            self.exact.add(key, patterns)

    def __call__(self, doc: Doc) -> Doc:
        registry = Registry(self)
        spans = self._select(doc, self._candidates(doc, registry))
        spans = add_acronyms(doc, spans, registry)
        spans = link_short_names(spans, registry)
        spans = add_known_as(doc, spans, registry)
        spans = add_state_metonyms(doc, spans, registry)
        spans = add_place_names(doc, spans, registry)
        spans = add_named_by_noun(doc, spans, registry)
        spans = self._entity_types(doc, spans, registry)
        spans = add_anaphora(doc, spans, registry)
        doc.spans[SPAN_KEY] = [typed_for_role(s, registry) for s in spans]
        doc._.gk_entities = registry.finish()
        return doc

    def _entity_types(self, doc: Doc, spans: list[Span], registry: Registry) -> list[Span]:
        if self.types is None:
            return spans
        spans = add_name_chunks(doc, spans, registry)
        if isinstance(self.types, LinearModel):
            return retype(spans, registry, self.types)
        doc._.gk_type_features = {
            key: entity_features(found) for key, found in by_entity(spans).items()
            if registry.entities[key].minted}
        return spans

    # -- candidates --------------------------------------------------------------------
    def _candidates(self, doc: Doc, registry: Registry) -> list[Span]:
        out: list[Span] = []
        matches = [m for matcher in (self.lower, self.exact) for m in matcher(doc)]
        known_starts = {start for _, start, _ in matches}
        for match_id, start, end in matches:
            entity = self.by_id[doc.vocab.strings[match_id]]
            start, end = strip_edges(doc, start, end)
            longer = extend_name_right(doc, start, end) if start < end else end
            if any(end < i < longer for i in known_starts):
                longer = end  # "the Hamas-Fatah talks": two known names, not one
            if longer > end:  # "Mai-Mai Kifaru": a named unit of a known kind
                resolved = registry.resolve(doc, start, longer, entity.type, "cue")
                if resolved is not None:
                    out.append(resolved)
            elif start < end:
                out.append(registry.span(doc, start, end, entity, "gaz"))
        known = {i for s in out for i in range(s.start, s.end)}
        for start, end in cue_names(doc, known):
            # A run made only of known names and connectors ("Israel and Hamas") is a
            # coordination of those names, not a new group.
            tokens = doc[start:end]
            if any(t.lower_ in ("and", "&", ",") for t in tokens) and all(
                    t.i in known or t.lower_ in CONNECTORS for t in tokens):
                continue
            # "the US-Taliban deal": two known names joined by a hyphen are both parties
            if sum(1 for o in out if start <= o.start and o.end <= end) >= 2 and all(
                    t.i in known or t.text in HYPHENS for t in tokens):
                continue
            if known_in_the_place(doc, start, end, known, self.brands):
                continue
            cue = registry.resolve(doc, start, end, EntityType.MILITANT_GROUP, "cue")
            if cue is not None:
                out.append(cue)
        for ent in doc.ents:
            etype = NER_TYPES.get(ent.label_)
            if etype is None:
                continue
            start, end = strip_edges(doc, ent.start, ent.end)
            comma = next((t.i for t in doc[start:end] if t.text == ","), None)
            if comma is not None:  # "Poso, Central Sulawesi": the place, then its region
                end = comma
            if ent.label_ in ("PERSON", "ORG"):
                # "Iskel [Dramo]": the recogniser often cuts an unfamiliar name's first
                # part off, and types the rest an organisation
                start = extend_name_left(doc, start)
            if ent.label_ != "PERSON" and start < end:
                end = extend_name_right(doc, start, end)
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


class Registry:
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
        if source == "ner" and not cued and in_place_phrase(root):
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
                verb_of(root).lemma_.lower() in TAKING):
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


def register_extensions() -> None:
    if not Doc.has_extension("gk_entities"):
        Doc.set_extension("gk_entities", default=None)
    if not Doc.has_extension("gk_plural"):
        Doc.set_extension("gk_plural", default=None)
    if not Doc.has_extension("gk_type_features"):
        Doc.set_extension("gk_type_features", default=None)
    if not Doc.has_extension("gk_relations"):
        Doc.set_extension("gk_relations", default=None)
