"""The annotated corpus format (the evaluation guidelines' ``dev.json`` shape), checked.

A corpus file is a JSON list of passages: ``id``, ``text``, ``entities``
(``{slug: {label, type, aliases}}``) and ``statements`` (``[{s, p, o, modality,
year?}]``). :func:`problems` lists everything wrong with one passage, so a corpus
writer (a person or a helper) sees every fault at once, and the trainer refuses a
corpus that has any.

>>> passage = {"id": "t-1", "text": "The Kelvar Front split from the Ossan Movement.",
...   "entities": {"kf": {"label": "Kelvar Front", "type": "MilitantGroup"},
...                "om": {"label": "Ossan Movement", "type": "MilitantGroup"}},
...   "statements": [{"s": "kf", "p": "splinterOf", "o": "om", "modality": "asserted"}]}
>>> problems(passage)
[]
>>> passage["statements"][0]["p"] = "splitFrom"
>>> problems(passage)
["t-1: statement 0: unknown relation 'splitFrom'"]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphkit.errors import InputError
from graphkit.evaluate import norm
from graphkit.vocab import EntityType, Modality, Relation

_ACTORS = {EntityType.MILITANT_GROUP, EntityType.STATE, EntityType.ORGANIZATION}
_PEOPLE_ROLES = {Relation.LEADER_OF, Relation.MEMBER_OF, Relation.FOUNDER_OF}
_GROUP_PAIRS = {Relation.AFFILIATE_OF, Relation.SPLINTER_OF, Relation.MERGED_INTO}

# Which entity types each relation's subject and object may have (the guidelines' table).
SIGNATURES: dict[Relation, tuple[set[EntityType], set[EntityType]]] = {
    **{r: (_ACTORS, _ACTORS) for r in (Relation.ALLIED_WITH, Relation.RIVAL_OF)},
    # A leader may talk for his group ("Kabila met the rebels' chief").
    Relation.NEGOTIATES_WITH: (_ACTORS | {EntityType.PERSON}, _ACTORS | {EntityType.PERSON}),
    # A group can merge into, or be a branch of, a state-like or political body.
    **{r: ({EntityType.MILITANT_GROUP}, _ACTORS) for r in _GROUP_PAIRS},
    Relation.SUPPORTS: (_ACTORS | {EntityType.PERSON}, _ACTORS | {EntityType.PERSON}),
    **{r: ({EntityType.PERSON}, _ACTORS) for r in _PEOPLE_ROLES},
    Relation.OPERATES_IN: ({EntityType.MILITANT_GROUP}, {EntityType.LOCATION}),
}


def names(entity: dict[str, Any], slug: str) -> list[str]:
    """Every spelling of an entity: its label, then its aliases."""
    return [str(entity.get("label", slug)), *map(str, entity.get("aliases", []))]


def _entity_problems(pid: str, text: str, entities: Any) -> list[str]:
    if not isinstance(entities, dict) or not entities:
        return [f"{pid}: 'entities' must be a non-empty object"]
    out: list[str] = []
    seen: dict[str, str] = {}
    for slug, ent in entities.items():
        if not isinstance(ent, dict):
            out.append(f"{pid}: entity {slug!r} is not an object")
            continue
        if ent.get("type") not in {t.value for t in EntityType}:
            out.append(f"{pid}: entity {slug!r}: type {ent.get('type')!r} is not one of "
                       + ", ".join(t.value for t in EntityType))
        spellings = names(ent, slug)
        if not any(s and s in text for s in spellings):
            out.append(f"{pid}: entity {slug!r}: no label or alias occurs in the text")
        for s in {norm(x) for x in spellings} - {""}:
            if seen.setdefault(s, slug) != slug:
                out.append(f"{pid}: name {s!r} belongs to both {seen[s]!r} and {slug!r}")
    return out


def _statement_problems(pid: str, n: int, st: Any, entities: dict[str, Any]) -> list[str]:
    where = f"{pid}: statement {n}"
    if not isinstance(st, dict):
        return [f"{where}: not an object"]
    try:
        rel = Relation(str(st.get("p")))
    except ValueError:
        return [f"{where}: unknown relation {st.get('p')!r}"]
    out = []
    if st.get("modality", "asserted") not in {m.value for m in Modality}:
        out.append(f"{where}: unknown modality {st.get('modality')!r}")
    if "year" in st and not (isinstance(st["year"], int) and 1800 < st["year"] < 2100):
        out.append(f"{where}: year {st['year']!r} is not a year")
    allowed = SIGNATURES[rel]
    for side, types in (("s", allowed[0]), ("o", allowed[1])):
        ent = entities.get(str(st.get(side)))
        if ent is None:
            out.append(f"{where}: {side}={st.get(side)!r} is not a declared entity")
        elif ent.get("type") not in {t.value for t in types}:
            out.append(f"{where}: {rel.value} {side} cannot be a {ent.get('type')}")
    if st.get("s") == st.get("o"):
        out.append(f"{where}: subject and object are the same entity")
    return out


def problems(passage: Any) -> list[str]:
    """Every fault of one passage against the guidelines' format, as one line each."""
    if not isinstance(passage, dict):
        return ["a passage is not an object"]
    pid = str(passage.get("id", "?"))
    text = passage.get("text")
    if not isinstance(text, str) or not text.strip():
        return [f"{pid}: 'text' must be a non-empty string"]
    entities = passage.get("entities")
    out = _entity_problems(pid, text, entities)
    statements = passage.get("statements")
    if not isinstance(statements, list):
        return [*out, f"{pid}: 'statements' must be a list"]
    keys: Counter[tuple[str, str, str]] = Counter()
    for n, st in enumerate(statements):
        out.extend(_statement_problems(pid, n, st, entities if isinstance(entities, dict)
                                       else {}))
        if isinstance(st, dict):
            s, p, o = str(st.get("s")), str(st.get("p")), str(st.get("o"))
            if p in {r.value for r in Relation}:
                s, o = Relation(p).ordered(s, o)
            keys[(s, p, o)] += 1
    out.extend(f"{pid}: statement {k} appears {c} times" for k, c in keys.items() if c > 1)
    return out


def read_corpus(path: Path) -> list[dict[str, Any]]:
    """Read one corpus file or every ``*.json`` in a folder (see evaluate.load_gold)."""
    from graphkit.evaluate import load_gold

    return load_gold(path)


def check(passages: list[dict[str, Any]]) -> Iterator[str]:
    """Every problem of a corpus, including ids used twice."""
    ids = Counter(str(p.get("id")) for p in passages if isinstance(p, dict))
    yield from (f"id {i!r} is used by {c} passages" for i, c in ids.items() if c > 1)
    for passage in passages:
        yield from problems(passage)


def main(argv: list[str] | None = None) -> int:
    """``python -m graphkit.training.corpus FILE_OR_DIR ...``: print problems and counts."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    try:
        passages = [p for a in args for p in read_corpus(Path(a))]
    except InputError as err:
        print(f"corpus: {err}", file=sys.stderr)
        return 2
    faults = list(check(passages))
    print("\n".join(faults[:200]))
    rels = Counter(st.get("p") for p in passages for st in p.get("statements", []))
    mods = Counter(st.get("modality", "asserted") for p in passages
                   for st in p.get("statements", []))
    print(f"{len(passages)} passages, {sum(rels.values())} statements, {len(faults)} problems")
    print("relations:", dict(sorted(rels.items())))
    print("modalities:", dict(mods))
    return 1 if faults else 0


if __name__ == "__main__":
    raise SystemExit(main())
