"""Training passages read again with their groups renamed (graphkit.training.augment)."""

from __future__ import annotations

import random

from graphkit.training.augment import augmented, renamed
from graphkit.training.corpus import problems

PASSAGE = {
    "id": "t-1",
    "text": "The Kelvar Front (KF) broke away from Noor Ummah in 2015. Abdul-Karim Noor "
            "Ummah-Dar, a KF commander, was arrested in Garissa.",
    "entities": {
        "kf": {"label": "Kelvar Front", "type": "MilitantGroup", "aliases": ["KF"]},
        "nu": {"label": "Noor Ummah", "type": "MilitantGroup"},
        "akn": {"label": "Abdul-Karim Noor Ummah-Dar", "type": "Person"},
        "garissa": {"label": "Garissa", "type": "Location"},
    },
    "statements": [
        {"s": "kf", "p": "splinterOf", "o": "nu", "modality": "asserted", "year": 2015},
        {"s": "akn", "p": "memberOf", "o": "kf", "modality": "asserted"},
    ],
}


def test_every_spelling_of_every_group_is_replaced_and_the_annotation_follows():
    out = renamed(PASSAGE, random.Random(0))
    kf, nu = out["entities"]["kf"], out["entities"]["nu"]
    # the old group names are gone from the text; the new ones are there
    assert "Kelvar" not in out["text"] and "(KF)" not in out["text"]
    assert kf["label"] in out["text"] and nu["label"] in out["text"]
    # the acronym got an acronym: two spellings, both in the text
    (acronym,) = kf["aliases"]
    assert acronym.isupper() and f"({acronym})" in out["text"]
    assert out["statements"] == PASSAGE["statements"] and out["id"] == "t-1~r"
    assert not list(problems(out))


def test_other_entities_keep_their_names_even_when_they_hold_a_group_name():
    out = renamed(PASSAGE, random.Random(0))
    # the person's name holds "Noor Ummah" but is not the group: it stays whole
    assert "Abdul-Karim Noor Ummah-Dar" in out["text"] and "Garissa" in out["text"]
    assert out["entities"]["akn"] == PASSAGE["entities"]["akn"]


def test_the_share_decides_how_many_copies_and_none_is_made_without_a_group():
    no_group = {"id": "t-2", "text": "Kenya and Somalia met in Garissa.", "statements": [],
                "entities": {"ke": {"label": "Kenya", "type": "State"},
                             "so": {"label": "Somalia", "type": "State"},
                             "ga": {"label": "Garissa", "type": "Location"}}}
    assert augmented([PASSAGE, no_group], 0.0, seed=1) == [PASSAGE, no_group]
    both = augmented([PASSAGE, no_group], 1.0, seed=1)
    assert [p["id"] for p in both] == ["t-1", "t-2", "t-1~r"]
    # seeded: the same seed renames the same way
    assert augmented([PASSAGE], 1.0, seed=1) == augmented([PASSAGE], 1.0, seed=1)


def test_a_copy_that_loses_an_entity_is_left_out():
    # the group is named after its leader: renaming it takes his only spelling with it
    passage = {"id": "t-3", "text": "Haftar's forces took the port.", "statements": [],
               "entities": {"hf": {"label": "Haftar's forces", "type": "MilitantGroup"},
                            "ha": {"label": "Haftar", "type": "Person"}}}
    assert augmented([passage], 1.0, seed=0) == [passage]
