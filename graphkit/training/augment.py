"""Training passages again, with every group renamed to a name no list knows.

New groups are often named opaquely ("Tamzeen", "the Vreli"): no cue word, nothing the
gazetteer or the recogniser knows. A model trained on passages where most groups carry
a cue or a known name learns to lean on the name. Renaming the groups of a passage —
every spelling of each, in the text and in its annotation — keeps the sentences, the
ties and their wording, and takes the name away as evidence, so the entity layer and the
relation model learn to read the context instead.

>>> import random
>>> passage = {"id": "x-1", "text": "The Sorvan Front (SF) split from Ansar Tal. SF grew.",
...            "entities": {"sf": {"label": "Sorvan Front", "type": "MilitantGroup",
...                                "aliases": ["SF"]},
...                         "at": {"label": "Ansar Tal", "type": "MilitantGroup"}},
...            "statements": [{"s": "sf", "p": "splinterOf", "o": "at"}]}
>>> out = renamed(passage, random.Random(3))
>>> out["id"], out["statements"] == passage["statements"]
('x-1~r', True)
>>> "Sorvan" in out["text"] or "Ansar" in out["text"]
False
>>> all(out["entities"][k]["label"] in out["text"] for k in ("sf", "at"))
True
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable
from typing import Any

from graphkit.training.corpus import names, problems

# Syllables of several naming traditions, so invented names do not all sound alike.
_ONSETS = ("k", "t", "d", "m", "n", "r", "s", "z", "v", "b", "g", "h", "l", "sh", "kh",
           "dr", "br", "ts", "mb", "nd", "y", "w", "f", "q", "j")
_VOWELS = ("a", "e", "i", "o", "u", "a", "o", "ai", "ou", "e")
_CODAS = ("", "", "", "n", "r", "k", "sh", "l", "m", "t", "s", "z")
_GROUP = "MilitantGroup"


def opaque_name(rng: random.Random) -> str:
    """One or two invented words, capitalised ("Tazrin", "Oku Vemba")."""
    def word() -> str:
        syllables = rng.choice((2, 2, 3))
        text = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
        return (text + rng.choice(_CODAS)).capitalize()

    return word() if rng.random() < 0.75 else f"{word()} {word()}"


def _acronym(rng: random.Random) -> str:
    return "".join(rng.choice("ABDEFGHIKLMNORSTUVYZ") for _ in range(rng.choice((2, 3, 4))))


def _is_acronym(spelling: str) -> bool:
    """An acronym of any length ("FARC-EP", "SPLM-IO"), so its copy gets an acronym too.
    (The mention layer's ``is_acronym`` asks something else: which short forms must
    match case-sensitively.)"""
    letters = spelling.replace("-", "").replace(".", "")
    return letters.isupper() and len(letters) <= 6 and " " not in spelling


def renamed(passage: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A copy of the passage whose every group has a new opaque name (acronyms get new
    acronyms); the id gets the suffix ``~r``. Other entities keep their names."""
    out = copy.deepcopy(passage)
    out["id"] = f"{passage['id']}~r"
    text = str(passage["text"])
    taken = {s.lower() for slug, ent in passage["entities"].items() for s in names(ent, slug)}
    mapping: dict[str, str] = {}
    for slug, ent in out["entities"].items():
        if ent.get("type") != _GROUP:
            continue
        new = _fresh(opaque_name, rng, taken)
        spellings = sorted(set(names(ent, slug)), key=len, reverse=True)
        for spelling in spellings:
            mapping[spelling] = _fresh(_acronym, rng, taken) if _is_acronym(spelling) else new
        ent["label"] = mapping[str(ent.get("label", slug))]
        ent["aliases"] = sorted({mapping[str(a)] for a in ent.get("aliases", [])})
    if not mapping:
        return out
    # Other entities' spellings map to themselves, so a longer name that holds a group's
    # ("Abdul-Malik al-Houthi") is kept whole. One pass, longest first, whole words only.
    for slug, ent in passage["entities"].items():
        if ent.get("type") != _GROUP:
            for spelling in names(ent, slug):
                mapping.setdefault(spelling, spelling)
    pattern = re.compile(r"(?<!\w)(" + "|".join(
        re.escape(s) for s in sorted(mapping, key=len, reverse=True)) + r")(?!\w)")
    out["text"] = pattern.sub(lambda m: mapping[m.group(1)], text)
    for ent in out["entities"].values():
        if ent.get("type") == _GROUP:
            spelled = [s for s in [ent["label"], *ent["aliases"]] if s in out["text"]]
            if spelled and ent["label"] not in out["text"]:
                ent["label"] = spelled[0]
    return out


def _fresh(make: Callable[[random.Random], str], rng: random.Random,
           taken: set[str]) -> str:
    for _ in range(100):
        name = make(rng)
        if name.lower() not in taken:
            taken.add(name.lower())
            return name
    raise RuntimeError("no fresh name in 100 tries")  # not reached with these syllables


def augmented(passages: list[dict[str, Any]], share: float, seed: int) -> list[dict[str, Any]]:
    """The passages, then renamed copies of a seeded ``share`` of those with a group
    (the annotation checked again; a copy it faults is left out)."""
    rng = random.Random(seed)
    extra = [renamed(p, rng) for p in passages
             if any(e.get("type") == _GROUP for e in p["entities"].values())
             and rng.random() < share]
    # a group named after another entity ("Haftar's forces") takes that entity's only
    # spelling with it: such a copy is left out
    return passages + [p for p in extra if not list(problems(p))]
