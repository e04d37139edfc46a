"""Relation patterns are checked data: a fault is refused at load, and triggers the
tokenizer splits still fire."""

from __future__ import annotations

import json

import pytest

from graphkit.extract.pattern_schema import PatternError
from graphkit.extract.relations import PATTERNS_PATH, load_patterns
from graphkit.vocab import Relation

GOOD = {"relation": "alliedWith", "pos": ["VERB"], "lemmas": ["ally"], "subject": ["subj"],
        "object": ["prep_with"]}


def write(tmp_path, rows):
    path = tmp_path / "patterns.json"
    path.write_text(json.dumps({"patterns": rows}), encoding="utf-8")
    return path


def test_the_shipped_patterns_load():
    assert len(load_patterns(PATTERNS_PATH)) > 30


@pytest.mark.parametrize(("change", "message"), [
    ({"colour": "red"}, "pattern 0: unknown key 'colour'"),
    ({"relation": "friendOf"}, "unknown relation 'friendOf'; valid relations: alliedWith"),
    ({"object": ["result"]}, "object: role 'result' is produced by no code"),
    ({"pos": ["VRB"]}, "unknown part of speech 'VRB'"),
    ({"types": ["GROUP", "TEAM"]}, "unknown type 'TEAM'"),
    ({"confidence": 3}, "'confidence' has a value of the wrong shape"),
    ({"lemmas": "ally"}, "'lemmas' has a value of the wrong shape"),
])
def test_each_fault_is_named(tmp_path, change, message):
    with pytest.raises(PatternError, match=message.replace("(", r"\(")):
        load_patterns(write(tmp_path, [{**GOOD, **change}]))


def test_a_missing_key_is_named(tmp_path):
    row = {k: v for k, v in GOOD.items() if k != "subject"}
    with pytest.raises(PatternError, match="pattern 0: missing 'subject'"):
        load_patterns(write(tmp_path, [row]))


def test_prepositional_roles_follow_their_grammar(tmp_path):
    rows = [{**GOOD, "object": ["prep_away_from", "dobj_prep_of", "prep_with"]}]
    assert len(load_patterns(write(tmp_path, rows))) == 1


def test_unreadable_pattern_files_are_errors(tmp_path):
    with pytest.raises(PatternError, match="cannot read relation patterns"):
        load_patterns(tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(PatternError, match="cannot read relation patterns"):
        load_patterns(bad)
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(PatternError, match="an object with a 'patterns' list"):
        load_patterns(bad)


def relations_between(statements, a, b):
    return {st.predicate for st in statements if {st.subject.label, st.object.label} == {a, b}}


def test_co_operation_is_no_operation_against_anyone(read):
    found = read("The Kelvar Front announced close co-operation with the Ossan Liberation "
                 "Army.")
    assert Relation.RIVAL_OF not in relations_between(found, "Kelvar Front",
                                                      "Ossan Liberation Army")


def test_a_hyphenated_verb_trigger_fires_in_any_inflection(read):
    found = read("Omar Vasti co-founded the Kelvar Front in 2009.")
    assert Relation.FOUNDER_OF in relations_between(found, "Omar Vasti", "Kelvar Front")


def test_a_two_word_trigger_fires(read):
    found = read("The Ossan Liberation Army gave the Kelvar Front a safe haven.")
    assert Relation.SUPPORTS in relations_between(found, "Ossan Liberation Army",
                                                  "Kelvar Front")


def test_two_known_names_joined_by_a_hyphen_are_both_parties(read):
    found = read("The US-Taliban agreement was signed in 2020.")
    assert Relation.NEGOTIATES_WITH in relations_between(found, "United States", "Taliban")


def test_a_hyphenated_unit_of_a_known_kind_stays_one_name(read):
    found = read("Mai-Mai Kifaru fighters attacked Goma.")
    assert any(st.subject.label == "Mai-Mai Kifaru" for st in found)


def test_harbouring_a_person_is_support(read):
    found = read("The Kelvar Front has hidden Omar Vasti since 2019.")
    assert Relation.SUPPORTS in relations_between(found, "Kelvar Front", "Omar Vasti")


def test_attacked_for_sheltering_gives_the_shelter_to_the_attacked(read):
    found = read("The United States attacked the Taliban for sheltering Osama bin Laden.")
    assert Relation.SUPPORTS in relations_between(found, "Taliban", "Osama bin Laden")
    assert Relation.RIVAL_OF in relations_between(found, "United States", "Taliban")


def test_a_cue_name_ends_before_in_and_the_place(read):
    found = read("Fighters of the Kelvar Front in Osk clashed with the Vreli Army.")
    labels = {st.subject.label for st in found} | {st.object.label for st in found}
    assert "Kelvar Front in Osk" not in labels
    assert Relation.RIVAL_OF in relations_between(found, "Kelvar Front", "Vreli Army")
