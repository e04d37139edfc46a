"""The document-level entity layer: candidate names and one learned type per entity."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from graphkit.extract.entity_types import (
    NOT_ENTITY,
    PLACE,
    add_name_chunks,
    class_of,
    entity_features,
    name_chunks,
    retype,
)
from graphkit.extract.mentions import Registry
from graphkit.learn.linear import LinearModel
from graphkit.model import Entity
from graphkit.vocab import EntityType

# "Fighters of Sabr Kul raided Tor Kamar on Tuesday ."
WORDS = ["Fighters", "of", "Sabr", "Kul", "raided", "Tor", "Kamar", "on", "Tuesday", "."]
POS = ["NOUN", "ADP", "PROPN", "PROPN", "VERB", "PROPN", "PROPN", "ADP", "PROPN", "PUNCT"]
HEADS = [4, 0, 3, 1, 4, 6, 4, 4, 7, 4]
DEPS = ["nsubj", "prep", "compound", "pobj", "ROOT", "compound", "dobj", "prep", "pobj",
        "punct"]
LEMMAS = ["fighter", "of", "Sabr", "Kul", "raid", "Tor", "Kamar", "on", "Tuesday", "."]


def make_doc() -> Doc:
    return Doc(spacy.blank("en").vocab, words=WORDS, pos=POS, heads=HEADS, deps=DEPS,
               lemmas=LEMMAS)


def test_runs_of_proper_nouns_no_mention_covers_are_candidates():
    doc = make_doc()
    assert name_chunks(doc, set()) == [(2, 4), (5, 7), (8, 9)]
    assert name_chunks(doc, {5, 6}) == [(2, 4), (8, 9)]


def test_connectors_join_a_name_only_between_proper_nouns():
    words = ["the", "Army", "of", "Karth", "and", "of", "peace"]
    pos = ["DET", "PROPN", "ADP", "PROPN", "CCONJ", "ADP", "NOUN"]
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos)
    assert name_chunks(doc, set()) == [(1, 4)]


def test_state_and_location_are_one_place_class():
    assert class_of("State") == PLACE
    assert class_of("Location") == PLACE
    assert class_of("Person") == "Person"


def test_features_describe_the_name_and_every_mention_context():
    doc = make_doc()
    feats = entity_features([Span(doc, 5, 7, kb_id="tor-kamar", span_id="chunk")])
    assert {"w=tor", "w=kamar", "last=kamar", "dep=dobj", "head=raid", "src=chunk"} <= set(
        feats)


def registry_with_chunks(doc: Doc) -> tuple[Registry, list[Span]]:
    registry = Registry(None)  # type: ignore[arg-type]  (no gazetteer look-ups here)
    return registry, add_name_chunks(doc, [], registry)


def test_the_model_types_names_and_drops_what_is_no_entity():
    rows = [["dep=dobj", "head=raid"], ["head=of", "dep=pobj"], ["head=on", "dep=pobj"]]
    model = LinearModel.train(rows * 3, [PLACE, "MilitantGroup", NOT_ENTITY] * 3, l2=0.01)
    doc = make_doc()
    registry, spans = registry_with_chunks(doc)
    typed = {s.text: s.label_ for s in retype(spans, registry, model)}
    # Tor Kamar is raided (a place that does not act: a Location); Sabr Kul has
    # fighters (a group); Tuesday is no entity and is dropped
    assert typed == {"Sabr Kul": "MilitantGroup", "Tor Kamar": "Location"}
    assert registry.entities["tor-kamar"].type is EntityType.LOCATION


def test_gazetteer_entities_keep_their_type():
    model = LinearModel.train([["x"], ["y"]], [NOT_ENTITY, PLACE], l2=0.01)
    doc = make_doc()
    registry = Registry(None)  # type: ignore[arg-type]
    known = Entity(id="sabr-kul", label="Sabr Kul", type=EntityType.MILITANT_GROUP)
    span = registry.span(doc, 2, 4, known, "gaz")
    assert [s.label_ for s in retype([span], registry, model)] == ["MilitantGroup"]


def test_a_name_with_a_group_cue_is_dropped_only_when_the_model_is_very_sure():
    doc = make_doc()
    # "Sabr Kul" found by a name cue, as "… Front" would be; the model leans to
    # no-entity at 0.6 for one context and 0.9 for another
    rows = [["dep=pobj"]] * 6 + [["dep=pobj"]] * 4 + [["dep=dobj"]] * 9 + [["dep=dobj"]]
    labels_ = [NOT_ENTITY] * 6 + ["MilitantGroup"] * 4 + [NOT_ENTITY] * 9 + ["MilitantGroup"]
    model = LinearModel.train(rows, labels_, l2=0.01)
    assert 0.5 < model.proba(["dep=pobj"])[NOT_ENTITY] < 0.8
    assert model.proba(["dep=dobj"])[NOT_ENTITY] > 0.8
    for where, kept in ((slice(2, 4), True), (slice(5, 7), False)):
        registry = Registry(None)  # type: ignore[arg-type]
        name = doc[where].text
        entity = Entity(id=name.lower().replace(" ", "-"), label=name,
                        type=EntityType.MILITANT_GROUP, minted=True)
        span = registry.span(doc, where.start, where.stop, entity, "cue")
        # Sabr Kul (pobj) is kept at 0.6; Tor Kamar (dobj) is dropped at 0.9
        assert bool(retype([span], registry, model)) is kept
