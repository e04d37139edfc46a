"""The training corpus format: every fault a writer can make is named."""

from __future__ import annotations

import json

import pytest

from graphkit.errors import InputError
from graphkit.training.corpus import check, main, problems, read_corpus


def passage(**change):
    base = {
        "id": "t-1",
        "text": "Omar Dast leads the Vreli, which is active in Karth.",
        "entities": {
            "dast": {"label": "Omar Dast", "type": "Person", "aliases": ["Dast"]},
            "vreli": {"label": "Vreli", "type": "MilitantGroup"},
            "karth": {"label": "Karth", "type": "Location"},
        },
        "statements": [
            {"s": "dast", "p": "leaderOf", "o": "vreli", "modality": "asserted"},
            {"s": "vreli", "p": "operatesIn", "o": "karth", "modality": "asserted"},
        ],
    }
    base.update(change)
    return base


def test_a_well_formed_passage_has_no_problems():
    assert problems(passage()) == []


def test_an_entity_named_nowhere_in_the_text_is_a_problem():
    p = passage()
    p["entities"]["ghost"] = {"label": "Sabr Kul", "type": "MilitantGroup"}
    assert problems(p) == ["t-1: entity 'ghost': no label or alias occurs in the text"]


def test_types_must_fit_the_relation():
    p = passage(statements=[{"s": "vreli", "p": "leaderOf", "o": "dast"}])
    assert problems(p) == ["t-1: statement 0: leaderOf s cannot be a MilitantGroup",
                           "t-1: statement 0: leaderOf o cannot be a Person"]


def test_operates_in_needs_a_location():
    p = passage(statements=[{"s": "vreli", "p": "operatesIn", "o": "dast"}])
    assert problems(p) == ["t-1: statement 0: operatesIn o cannot be a Person"]


def test_unknown_relation_modality_year_and_entity_are_named():
    p = passage(statements=[{"s": "dast", "p": "leads", "o": "vreli"},
                            {"s": "dast", "p": "leaderOf", "o": "vreli", "modality": "maybe",
                             "year": "1990s"},
                            {"s": "nobody", "p": "leaderOf", "o": "vreli"}])
    assert problems(p) == [
        "t-1: statement 0: unknown relation 'leads'",
        "t-1: statement 1: unknown modality 'maybe'",
        "t-1: statement 1: year '1990s' is not a year",
        "t-1: statement 2: s='nobody' is not a declared entity",
    ]


def test_a_symmetric_tie_written_both_ways_is_a_duplicate():
    p = passage(text="Vreli and Tamzeen fought.", entities={
        "vreli": {"label": "Vreli", "type": "MilitantGroup"},
        "tamzeen": {"label": "Tamzeen", "type": "MilitantGroup"}},
        statements=[{"s": "vreli", "p": "rivalOf", "o": "tamzeen"},
                    {"s": "tamzeen", "p": "rivalOf", "o": "vreli"}])
    assert problems(p) == ["t-1: statement ('tamzeen', 'rivalOf', 'vreli') appears 2 times"]


def test_a_spelling_shared_by_two_entities_is_a_problem():
    p = passage()
    p["entities"]["karth"]["aliases"] = ["Vreli"]
    assert "t-1: name 'vreli' belongs to both 'vreli' and 'karth'" in problems(p)


def test_bad_shapes_are_named():
    assert problems("text") == ["a passage is not an object"]
    assert problems(passage(text="")) == ["t-1: 'text' must be a non-empty string"]
    assert problems(passage(statements={})) == ["t-1: 'statements' must be a list"]
    # no entities: that, and then each statement's undeclared entities
    assert problems(passage(entities={}))[:2] == [
        "t-1: 'entities' must be a non-empty object",
        "t-1: statement 0: s='dast' is not a declared entity"]


def test_ids_used_twice_in_a_corpus_are_named():
    assert list(check([passage(), passage()])) == ["id 't-1' is used by 2 passages"]


def test_a_corpus_is_a_file_or_a_folder_of_files(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([passage()]), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps([passage(id="t-2")]), encoding="utf-8")
    assert [p["id"] for p in read_corpus(tmp_path)] == ["t-1", "t-2"]
    assert [p["id"] for p in read_corpus(tmp_path / "b.json")] == ["t-2"]


def test_unreadable_corpora_raise_input_errors(tmp_path):
    with pytest.raises(InputError, match="no corpus files"):
        read_corpus(tmp_path)
    (tmp_path / "a.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="is not JSON"):
        read_corpus(tmp_path)
    (tmp_path / "a.json").write_text('{"id": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="expected a list of passages"):
        read_corpus(tmp_path)


def test_the_checker_command_prints_counts_and_fails_on_problems(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps([passage()]), encoding="utf-8")
    assert main([str(good)]) == 0
    out = capsys.readouterr().out
    assert "1 passages, 2 statements, 0 problems" in out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([passage(statements=[{"s": "x", "p": "y", "o": "z"}])]))
    assert main([str(bad)]) == 1
    assert main([str(tmp_path / "absent.json")]) == 2


def test_the_shipped_corpus_is_well_formed_and_large_enough():
    from collections import Counter
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "corpus"
    train, held = read_corpus(root / "train"), read_corpus(root / "heldout")
    assert list(check(train)) == [] and list(check(held)) == []
    assert not {p["id"] for p in train} & {p["id"] for p in held}
    passages = train + held
    relations = Counter(st["p"] for p in passages for st in p["statements"])
    modalities = Counter(st.get("modality", "asserted") for p in passages
                         for st in p["statements"])
    assert len(passages) >= 2000 and sum(relations.values()) >= 8000
    assert min(relations.values()) >= 400 and len(relations) == 11
    assert min(modalities["negated"], modalities["hypothetical"]) >= 0.1 * len(
        [st for p in passages for st in p["statements"]])
    # the held-out split is about a fifth of the whole
    assert 0.15 <= len(held) / len(passages) <= 0.25
