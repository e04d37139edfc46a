"""Shape checks for graphkit's held-out evaluation corpus (tests/eval/corpus.json).

These tests validate the annotation file only; they never run or score the extractor.
Each rule lives in one small checker that returns problem strings, so the negative
tests below can show that a broken passage is actually caught.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graphkit.evaluate import norm
from graphkit.vocab import EntityType, Modality, Relation

CORPUS = Path(__file__).resolve().parent / "eval" / "corpus.json"
ID_PATTERN = re.compile(r"^gk-\d{3}$")
MIN_PASSAGES = 70
MIN_INVENTED = 15
MIN_ASSERTED_PER_RELATION = 6
MIN_NOT_ASSERTED = 25

Passage = dict[str, Any]


def _load() -> list[Passage]:
    with CORPUS.open(encoding="utf-8") as fh:
        data = json.load(fh)
    assert isinstance(data, list), "corpus must be a JSON list of passages"
    return data


@pytest.fixture(scope="module")
def corpus() -> list[Passage]:
    return _load()


def _key(st: dict[str, Any]) -> tuple[str, str, str]:
    """Statement identity as the scorer sees it: symmetric relations ignore direction."""
    s, o = Relation(st["p"]).ordered(st["s"], st["o"])
    return s, st["p"], o


def check_shape(p: Passage) -> list[str]:
    out = []
    if not isinstance(p.get("id"), str) or not ID_PATTERN.match(p["id"]):
        out.append(f"bad id {p.get('id')!r}")
    if not isinstance(p.get("text"), str) or not p["text"].strip():
        out.append(f"{p.get('id')}: empty text")
    if not isinstance(p.get("entities"), dict) or not p["entities"]:
        out.append(f"{p.get('id')}: entities must be a non-empty object")
    if not isinstance(p.get("statements"), list) or not p["statements"]:
        out.append(f"{p.get('id')}: statements must be a non-empty list")
    if "invented" in p and p["invented"] is not True:
        out.append(f"{p.get('id')}: 'invented' must be true when present")
    return out


def check_entities(p: Passage) -> list[str]:
    out, seen = [], {}
    types = {t.value for t in EntityType}
    for slug, ent in p["entities"].items():
        where = f"{p['id']}/{slug}"
        if slug != slug.lower() or not re.fullmatch(r"[a-z0-9_]+", slug):
            out.append(f"{where}: slug must be lowercase alphanumerics")
        if ent.get("type") not in types:
            out.append(f"{where}: unknown type {ent.get('type')!r}")
        aliases = ent.get("aliases")
        if not isinstance(ent.get("label"), str) or not isinstance(aliases, list):
            out.append(f"{where}: needs a string label and a list of aliases")
            continue
        names = [ent["label"], *aliases]
        if not any(isinstance(n, str) and n.lower() in p["text"].lower() for n in names):
            out.append(f"{where}: neither label nor any alias occurs in the text")
        for name in {norm(n) for n in [ent["label"], slug, *aliases]}:
            if seen.setdefault(name, slug) != slug:
                out.append(f"{where}: name {name!r} also resolves to {seen[name]}")
    return out


def check_statements(p: Passage) -> list[str]:
    out, keys = [], Counter()
    modalities = {m.value for m in Modality}
    for st in p["statements"]:
        where = f"{p['id']}: {st.get('s')} {st.get('p')} {st.get('o')}"
        if st.get("s") not in p["entities"] or st.get("o") not in p["entities"]:
            out.append(f"{where}: subject or object is not a declared entity")
        try:
            Relation.parse(st.get("p", ""))
        except ValueError:
            out.append(f"{where}: not a vocabulary relation")
            continue
        if st.get("p") != Relation.parse(st["p"]).value:
            out.append(f"{where}: relation must be a bare local name")
        if st.get("modality") not in modalities:
            out.append(f"{where}: bad modality {st.get('modality')!r}")
        year = st.get("year")
        if year is not None and (not isinstance(year, int) or not 1900 <= year <= 2100):
            out.append(f"{where}: bad year {year!r}")
        if st.get("s") == st.get("o"):
            out.append(f"{where}: subject equals object")
        keys[_key(st)] += 1
    out += [f"{p['id']}: duplicate statement {k}" for k, n in keys.items() if n > 1]
    return out


def check_leader_not_member(p: Passage) -> list[str]:
    """Guideline: a person who leads a group is leaderOf only, not also memberOf."""
    asserted = {
        (st["s"], st["p"], st["o"])
        for st in p["statements"]
        if st["modality"] == Modality.ASSERTED.value
    }
    leader, member = Relation.LEADER_OF.value, Relation.MEMBER_OF.value
    return [
        f"{p['id']}: {s} is both leaderOf and memberOf {o}"
        for s, rel, o in asserted
        if rel == leader and (s, member, o) in asserted
    ]


CHECKS: list[Callable[[Passage], list[str]]] = [
    check_shape,
    check_entities,
    check_statements,
    check_leader_not_member,
]


def problems(corpus: list[Passage]) -> list[str]:
    out = []
    for p in corpus:
        shape = check_shape(p)
        out += shape
        if not shape:
            for check in CHECKS[1:]:
                out += check(p)
    ids = Counter(p.get("id") for p in corpus)
    out += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    return out


def _asserted_per_relation(corpus: list[Passage]) -> Counter[str]:
    return Counter(
        st["p"]
        for p in corpus
        for st in p["statements"]
        if st["modality"] == Modality.ASSERTED.value
    )


def test_corpus_has_no_annotation_problems(corpus: list[Passage]) -> None:
    assert problems(corpus) == []


def test_corpus_has_at_least_70_passages(corpus: list[Passage]) -> None:
    assert len(corpus) >= MIN_PASSAGES


def test_ids_are_unique_and_sequential(corpus: list[Passage]) -> None:
    assert [p["id"] for p in corpus] == [f"gk-{n:03d}" for n in range(1, len(corpus) + 1)]


def test_at_least_15_passages_are_about_invented_groups(corpus: list[Passage]) -> None:
    assert sum(1 for p in corpus if p.get("invented") is True) >= MIN_INVENTED


@pytest.mark.parametrize("relation", list(Relation), ids=lambda r: r.value)
def test_every_relation_has_enough_asserted_statements(
    corpus: list[Passage], relation: Relation
) -> None:
    assert _asserted_per_relation(corpus)[relation.value] >= MIN_ASSERTED_PER_RELATION


def test_corpus_has_enough_negated_and_hypothetical_statements(corpus: list[Passage]) -> None:
    kinds = Counter(st["modality"] for p in corpus for st in p["statements"])
    assert kinds[Modality.NEGATED.value] + kinds[Modality.HYPOTHETICAL.value] >= MIN_NOT_ASSERTED
    assert kinds[Modality.NEGATED.value] > 0 and kinds[Modality.HYPOTHETICAL.value] > 0


# --- the checkers catch broken passages --------------------------------------------


def _sample() -> Passage:
    return {
        "id": "gk-001",
        "text": "The Sand Wolves broke away from the River Front in 2019.",
        "entities": {
            "wolves": {"label": "Sand Wolves", "type": "MilitantGroup", "aliases": []},
            "river": {"label": "River Front", "type": "MilitantGroup", "aliases": []},
        },
        "statements": [
            {"s": "wolves", "p": "splinterOf", "o": "river", "modality": "asserted", "year": 2019}
        ],
    }


def _undeclared(p: Passage) -> None:
    p["statements"][0]["o"] = "nobody"


def _bad_relation(p: Passage) -> None:
    p["statements"][0]["p"] = "friendOf"


def _bad_modality(p: Passage) -> None:
    p["statements"][0]["modality"] = "probable"


def _symmetric_duplicate(p: Passage) -> None:
    p["statements"] = [
        {"s": "wolves", "p": "rivalOf", "o": "river", "modality": "asserted"},
        {"s": "river", "p": "rivalOf", "o": "wolves", "modality": "negated"},
    ]


def _alias_clash(p: Passage) -> None:
    p["entities"]["river"]["aliases"] = ["the Sand Wolves"]


def _unmentioned(p: Passage) -> None:
    p["entities"]["river"]["label"] = "Lake Brigade"


def _bad_type(p: Passage) -> None:
    p["entities"]["wolves"]["type"] = "Gang"


def _leader_and_member(p: Passage) -> None:
    p["text"] += " Its emir is Musa Dar."
    p["entities"]["musa"] = {"label": "Musa Dar", "type": "Person", "aliases": []}
    p["statements"] += [
        {"s": "musa", "p": "leaderOf", "o": "wolves", "modality": "asserted"},
        {"s": "musa", "p": "memberOf", "o": "wolves", "modality": "asserted"},
    ]


def _bad_id(p: Passage) -> None:
    p["id"] = "dev-1"


def _bad_year(p: Passage) -> None:
    p["statements"][0]["year"] = "2019"


def _invented_not_true(p: Passage) -> None:
    p["invented"] = "yes"


@pytest.mark.parametrize(
    "breakage",
    [_undeclared, _bad_relation, _bad_modality, _symmetric_duplicate, _alias_clash,
     _unmentioned, _bad_type, _leader_and_member, _bad_id, _bad_year, _invented_not_true],
    ids=lambda f: f.__name__.strip("_"),
)
def test_checkers_report_a_broken_passage(breakage: Callable[[Passage], None]) -> None:
    assert problems([_sample()]) == []
    broken = copy.deepcopy(_sample())
    breakage(broken)
    assert problems([broken]) != []


def test_duplicate_ids_are_reported() -> None:
    assert any("duplicate id" in msg for msg in problems([_sample(), _sample()]))
