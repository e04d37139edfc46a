"""The schema of ``patterns.json``, checked when the patterns load.

As spaCy's Matcher checks its patterns, a pattern file that names a key, a role, a
part of speech or a type the code does not know is refused with every fault listed,
instead of silently never firing.

>>> problems({"patterns": [{"relation": "alliedWith", "pos": ["VERB"], "lemmas": ["ally"],
...                         "subject": ["subj"], "object": ["prep_with"]}]})
[]
>>> problems({"patterns": [{"relation": "alliedWith", "pos": ["VERB"], "lemmas": ["ally"],
...                         "subject": ["subject"], "object": ["prep_with"], "colour": 1}]})
["pattern 0: unknown key 'colour'", "pattern 0: subject: role 'subject' is produced by no code"]
"""

from __future__ import annotations

import re
from typing import Any

from graphkit.errors import GraphkitError
from graphkit.vocab import Relation


class PatternError(GraphkitError):
    """A relation pattern file does not follow the schema."""


# Roles :mod:`graphkit.extract.roles` fills under a fixed name.
FIXED_ROLES = frozenset({"subj", "obj", "self", "poss", "compound", "compound_left", "xobj",
                         "place", "obj_if_passive", "dative", "head", "dissent_origin",
                         "host_subj", "clause_subj", "pobj", "gov", "hyphen_pair"})
# Roles named after the preposition that introduces them ("prep_with", "prep_away_from",
# "dobj_prep_of": the object of "of" under the trigger's direct object).
PREP_ROLE = re.compile(r"(dobj_)?prep_[a-z]+(_[a-z]+)?")
POS_TAGS = frozenset({"VERB", "NOUN", "PROPN", "ADJ", "ADP", "AUX", "ADV"})
TYPE_NAMES = frozenset({"GROUP", "ACTOR", "PERSON", "UNIT", "PLACE", "ACTOR_OR_PERSON"})

def _WORDS(v: Any) -> bool:  # noqa: N802  (read as a type name in the table below)
    return isinstance(v, list) and all(isinstance(w, str) and w for w in v)


def _WORD_MAP(v: Any) -> bool:  # noqa: N802
    return isinstance(v, dict) and all(_WORDS(w) for w in v.values())


# key: (required, check of the value)
KEYS: dict[str, tuple[bool, Any]] = {
    "relation": (True, lambda v: isinstance(v, str)),
    "pos": (True, _WORDS),
    "lemmas": (True, _WORDS),
    "subject": (True, _WORDS),
    "object": (True, _WORDS),
    "types": (False, lambda v: isinstance(v, list) and len(v) == 2),
    "pair_within": (False, _WORDS),
    "needs": (False, _WORDS),
    "needs_any": (False, _WORD_MAP),
    "needs_modifier": (False, _WORD_MAP),
    "excludes": (False, _WORD_MAP),
    "head_not": (False, _WORDS),
    "confidence": (False, lambda v: isinstance(v, int | float) and 0 < v <= 1),
    "implicit_object": (False, lambda v: isinstance(v, bool)),
}


def _row_problems(n: int, row: Any) -> list[str]:
    where = f"pattern {n}"
    if not isinstance(row, dict):
        return [f"{where}: not an object"]
    out = [f"{where}: unknown key {k!r}" for k in row if k not in KEYS]
    shape = []
    for key, (required, valid) in KEYS.items():
        if key not in row:
            if required:
                shape.append(f"{where}: missing {key!r}")
        elif not valid(row[key]):
            shape.append(f"{where}: {key!r} has a value of the wrong shape")
    if shape:  # the checks below read the values
        return out + shape
    try:
        Relation.parse(row["relation"])
    except ValueError as err:
        out.append(f"{where}: {err}")
    out += [f"{where}: unknown part of speech {p!r}" for p in row["pos"] if p not in POS_TAGS]
    out += [f"{where}: unknown type {t!r}; valid types: {', '.join(sorted(TYPE_NAMES))}"
            for t in row.get("types", []) if t not in TYPE_NAMES]
    for key in ("subject", "object", "pair_within"):
        out += [f"{where}: {key}: role {r!r} is produced by no code"
                for r in row.get(key, []) if r not in FIXED_ROLES and not PREP_ROLE.fullmatch(r)]
    return out


def problems(data: Any) -> list[str]:
    """Every fault of a loaded pattern file, one line each."""
    if not isinstance(data, dict) or not isinstance(data.get("patterns"), list):
        return ["a pattern file is an object with a 'patterns' list"]
    return [p for n, row in enumerate(data["patterns"]) for p in _row_problems(n, row)]
