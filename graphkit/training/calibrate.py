"""Fitting the confidence calibration on passages the models were not trained on.

A fifth of the training passages is set aside, the models are trained on the rest,
and extraction over the fifth tells, for each way a tie is found (pattern, model,
both), and for each relation found that way often enough, how often a tie of each raw
score was right (:mod:`graphkit.learn.calibration`).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from typing import Any

from graphkit.learn.calibration import Calibration, fit_isotonic
from graphkit.settings import Settings
from graphkit.training.examples import gold_index, slug_of
from graphkit.vocab import Modality, Relation


def split(passages: list[dict[str, Any]], share: int = 5) -> tuple[list, list]:
    """(rest, every ``share``-th passage), chosen by a hash of the id: the same corpus
    always gives the same split."""
    def aside(p: dict[str, Any]) -> bool:
        return zlib.crc32(str(p["id"]).encode()) % share == 0

    return [p for p in passages if not aside(p)], [p for p in passages if aside(p)]


def _gold_ties(passage: dict[str, Any]) -> set[tuple[str, str, str]]:
    out = set()
    for st in passage.get("statements", []):
        if st.get("modality", "asserted") == "asserted":
            out.add(_tie(st["s"], st["p"], st["o"]))
    return out


def _tie(s: str, p: str, o: str) -> tuple[str, str, str]:
    first, second = Relation(p).ordered(s, o)
    return (first, p, second)


def scored(settings: Settings, passages: list[dict[str, Any]]) -> dict[str, list]:
    """(raw confidence, right) of every asserted tie, by how it was found."""
    from graphkit.extract.pipeline import load_pipeline
    from graphkit.extract.records import read

    nlp = load_pipeline(settings)
    out: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for record, passage in zip(read(nlp, [p["text"] for p in passages]), passages,
                               strict=True):
        table, _ = gold_index(passage)
        gold = _gold_ties(passage)
        for c in record.candidates:
            if c.modality is not Modality.ASSERTED:
                continue
            s = slug_of(list(record.names.get(c.subject, ())), table)
            o = slug_of(list(record.names.get(c.object, ())), table)
            right = bool(s and o and _tie(s, c.relation.value, o) in gold)
            out[c.method].append((c.confidence, right))
            out[f"{c.method}:{c.relation.value}"].append((c.confidence, right))
    return out


# A relation's own table needs this many ties found that way; rarer ones use the table
# of their way of finding alone.
MIN_TIES = 40


def calibration(settings: Settings, passages: list[dict[str, Any]]) -> Calibration:
    return Calibration({key: fit_isotonic(pairs) for key, pairs in
                        scored(settings, passages).items()
                        if ":" not in key or len(pairs) >= MIN_TIES})
