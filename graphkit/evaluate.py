"""Scoring extraction against an annotated corpus (the format of the eval guidelines).

The rules are the evaluation scorer's: entities match by normalised label or alias
(the statement's aliases are tried too), symmetric relations ignore direction, only
asserted gold statements are wanted, and asserting a negated or hypothetical gold
statement counts as a false positive.

>>> gold = [{"id": "p1", "text": "", "entities": {
...     "a": {"label": "Group A"}, "b": {"label": "Group B", "aliases": ["GB"]}},
...     "statements": [{"s": "a", "p": "alliedWith", "o": "b", "year": 2011}]}]
>>> pred = {"p1": [{"subject": "GB", "predicate": "alliedWith", "object": "Group A",
...                 "modality": "asserted", "year": 2011}]}
>>> report = score(gold, pred)
>>> round(report.f1, 2), report.year_right, report.year_total
(1.0, 1, 1)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.errors import InputError
from graphkit.vocab import Relation

Key = tuple[str, str, str]
# Relation names as the scorer folds them (lower case, letters only).
_BY_FOLDED_NAME = {relation.value.lower(): relation for relation in Relation}


def norm(text: Any) -> str:
    """The scorer's name normalisation: ASCII, lowercase, no article, alphanumerics."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    folded = re.sub(r"^(the)\s+", "", folded.lower().replace("’", "'").strip())
    return re.sub(r"[^a-z0-9]", "", folded)


def _key(s: str, p: str, o: str) -> Key:
    p = re.sub(r"[^a-z]", "", p.rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower())
    relation = _BY_FOLDED_NAME.get(p)
    if relation is not None:
        s, o = relation.ordered(s, o)
    return (s, p, o)


@dataclass
class Miss:
    passage: str
    kind: str  # "missed" | "wrong"
    key: Key
    note: str = ""


@dataclass
class Report:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    forbidden_total: int = 0
    forbidden_asserted: int = 0
    right_modality: int = 0
    year_total: int = 0
    year_right: int = 0
    misses: list[Miss] = field(default_factory=list)
    # (confidence, correct) of every asserted prediction, for the calibration table
    scored: list[tuple[float, bool]] = field(default_factory=list)

    @staticmethod
    def prf(t: int, p: int, n: int) -> tuple[float, float, float]:
        prec = t / (t + p) if t + p else 0.0
        rec = t / (t + n) if t + n else 0.0
        return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)

    @property
    def f1(self) -> float:
        return self.prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))[2]

    def calibration(self, bands: tuple[float, ...] = (0.0, 0.6, 0.7, 0.8)) -> list[str]:
        """Precision of asserted predictions by confidence band (is confidence honest?)."""
        cells = []
        for i, low in enumerate(bands):
            high = bands[i + 1] if i + 1 < len(bands) else 1.01
            hits = [ok for conf, ok in self.scored if low <= conf < high]
            if hits:
                label = f">={low:.1f}" if high > 1 else f"{low:.1f}-{high:.1f}"
                cells.append(f"{label}: {sum(hits) / len(hits):.2f} (n={len(hits)})")
        return ["precision by confidence: " + "; ".join(cells)] if cells else []

    def render(self, misses: bool = False) -> str:
        lines = [f"{'relation':16} {'tp':>4} {'fp':>4} {'fn':>4}  {'P':>5} {'R':>5} {'F1':>5}"]
        for rel in Relation:
            r = rel.value.lower()
            if self.tp[r] or self.fp[r] or self.fn[r]:
                scores = self.prf(self.tp[r], self.fp[r], self.fn[r])
                cells = " ".join(f"{x:5.2f}" for x in scores)
                counts = f"{self.tp[r]:4} {self.fp[r]:4} {self.fn[r]:4}"
                lines.append(f"{rel.value:16} {counts}  {cells}")
        t, f, n = (sum(c.values()) for c in (self.tp, self.fp, self.fn))
        p, rec, f1 = self.prf(t, f, n)
        lines.append(f"negated/hypothetical statements asserted as fact: {self.forbidden_asserted}"
                     f" of {self.forbidden_total}; labelled with the right modality: "
                     f"{self.right_modality}")
        if self.year_total:
            lines.append(f"years right on matched statements: {self.year_right} of "
                         f"{self.year_total}")
        lines.extend(self.calibration())
        lines.append(f"micro P={p:.3f} R={rec:.3f} F1={f1:.3f} (tp={t} fp={f} fn={n})")
        if misses:
            lines.extend(f"{m.passage}  {m.kind:6}  {' '.join(m.key)}  {m.note}".rstrip()
                         for m in self.misses)
        return "\n".join(lines) + "\n"


def load_gold(path: Path) -> list[dict[str, Any]]:
    """An annotated corpus: one JSON file, or a folder of them (read in name order)."""
    path = Path(path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise InputError(f"{path}: a folder with no corpus files (*.json)")
    data: list[Any] = []
    for file in files:
        try:
            part = json.loads(file.read_text(encoding="utf-8"))
        except OSError as err:
            raise InputError(f"cannot read {file}: {err.strerror or err}") from None
        except json.JSONDecodeError as err:
            raise InputError(f"{file} is not JSON: {err}") from None
        if not isinstance(part, list) or not all(isinstance(p, dict) and "id" in p
                                                  for p in part):
            raise InputError(f"{file}: expected a list of passages with 'id', 'text', "
                             "'statements'")
        data.extend(part)
    return data


def _resolver(entities: dict[str, Any]) -> Callable[[dict[str, Any], str], str]:
    table: dict[str, str] = {}
    for slug, ent in entities.items():
        for name in [ent.get("label", slug), slug, *ent.get("aliases", [])]:
            table.setdefault(norm(name), slug)

    def resolve(row: dict[str, Any], side: str) -> str:
        for name in [row.get(side), *(row.get(side + "_aliases") or [])]:
            if name is not None and norm(name) in table:
                return table[norm(name)]
        return "?" + norm(row.get(side, ""))

    return resolve


def score(gold: Iterable[dict[str, Any]], predictions: dict[str, list[dict[str, Any]]]) -> Report:
    """Score predicted statement rows (``Statement.to_json`` form) per passage id."""
    report = Report()
    for passage in gold:
        resolve = _resolver(passage.get("entities", {}))
        want, forbid, years = set(), {}, {}
        for st in passage.get("statements", []):
            k = _key(st["s"], st["p"], st["o"])
            if st.get("modality", "asserted") == "asserted":
                want.add(k)
                if "year" in st:
                    years[k] = st["year"]
            else:
                forbid[k] = st["modality"]
        got, got_year, other = set(), {}, {}
        for row in predictions.get(passage["id"], []):
            k = _key(resolve(row, "subject"), row.get("predicate", ""), resolve(row, "object"))
            if row.get("modality", "asserted") == "asserted":
                got.add(k)
                report.scored.append((float(row.get("confidence", 1.0)), k in want))
                if row.get("year") is not None:
                    got_year[k] = str(row["year"])[:4]
            else:
                other[k] = row["modality"]
        _tally(report, passage["id"], want, got, forbid, years, got_year, other)
    return report


def _tally(report: Report, pid: str, want: set[Key], got: set[Key], forbid: dict[Key, str],
           years: dict[Key, Any], got_year: dict[Key, str], other: dict[Key, str]) -> None:
    for k in got & want:
        report.tp[k[1]] += 1
        if k in years:
            report.year_total += 1
            ok = got_year.get(k) == str(years[k])
            report.year_right += ok
            if not ok:
                report.misses.append(Miss(pid, "year", k, f"want {years[k]} got "
                                          f"{got_year.get(k)}"))
    for k in sorted(got - want):
        report.fp[k[1]] += 1
        report.misses.append(Miss(pid, "wrong", k, f"(gold says {forbid[k]})" if k in forbid
                                  else ""))
    for k in sorted(want - got):
        report.fn[k[1]] += 1
        report.misses.append(Miss(pid, "missed", k, f"(read as {other[k]})" if k in other
                                  else ""))
    report.forbidden_total += len(forbid)
    report.forbidden_asserted += len(got & set(forbid))
    report.right_modality += sum(1 for k, m in other.items() if forbid.get(k) == m)


def side_by_side(reports: list[tuple[str, Report]]) -> str:
    """One line per corpus: its micro figures and how often it asserted what the text
    denies or only speculates.

    >>> print(side_by_side([("a.json", Report())]), end="")
    corpus                              P      R     F1  forbidden asserted
    a.json                          0.000  0.000  0.000  0 of 0
    """
    lines = [f"{'corpus':30} {'P':>6} {'R':>6} {'F1':>6}  forbidden asserted"]
    for name, r in reports:
        p, rec, f1 = r.prf(sum(r.tp.values()), sum(r.fp.values()), sum(r.fn.values()))
        lines.append(f"{name[-30:]:30} {p:6.3f} {rec:6.3f} {f1:6.3f}  "
                     f"{r.forbidden_asserted} of {r.forbidden_total}")
    return "\n".join(lines) + "\n"


def evaluate(gold_path: Path, settings: Any) -> Report:
    """Run extraction over every passage of an annotated corpus and score it."""
    from graphkit.extract import Extractor
    from graphkit.model import Document

    gold = load_gold(gold_path)
    documents = [Document(id=str(p["id"]), text=str(p.get("text", ""))) for p in gold]
    predictions: dict[str, list[dict[str, Any]]] = {}
    for doc, statements in Extractor(settings).extract(documents):
        predictions[doc.id] = [st.to_json() for st in statements]
    return score(gold, predictions)
