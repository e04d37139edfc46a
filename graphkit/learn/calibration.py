"""Confidence that means what it says: raw scores mapped to observed precision.

A pattern's hand-set confidence and the relation model's probability are both scores,
not frequencies. Calibration is fitted on passages the models were not trained on: for
each way a tie was found (``pattern``, ``model`` or ``both``), an isotonic (monotone)
map from the raw score to the share of such ties that were right.

>>> table = fit_isotonic([(0.2, False), (0.4, False), (0.6, True), (0.9, True)], min_block=1)
>>> Calibration({"model": table}).apply("model", 0.95)
1.0
>>> Calibration({}).apply("pattern", 0.7)  # no table: the raw score stands
0.7
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graphkit.learn.linear import ModelFileError

Table = list[tuple[float, float]]  # (raw score, calibrated) at increasing raw scores


def fit_isotonic(scored: Iterable[tuple[float, bool]], min_block: int = 10) -> Table:
    """Pool-adjacent-violators over (score, correct) pairs: the precision of each block
    of scores, never falling as the score rises. Blocks hold at least ``min_block`` pairs
    (while there are that many), so one lucky statement cannot claim certainty."""
    points = sorted(scored)
    blocks: list[list[float]] = []  # [sum correct, count, highest score]
    for score, ok in points:
        blocks.append([float(ok), 1.0, score])
        while len(blocks) > 1 and (
                blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]
                or blocks[-2][1] < min_block):
            right, n, top = blocks.pop()
            blocks[-1][0] += right
            blocks[-1][1] += n
            blocks[-1][2] = top
    return [(top, round(right / n, 4)) for right, n, top in blocks]


@dataclass
class Calibration:
    tables: dict[str, Table]

    def apply(self, method: str, score: float, relation: str = "") -> float:
        """The calibrated score: the relation's own table for this way of finding ties,
        else the way's table, else the raw score."""
        table = self.tables.get(f"{method}:{relation}") or self.tables.get(method)
        if not table:
            return score
        # the first block whose highest score reaches this one; above all blocks, the last
        i = bisect_left([raw for raw, _ in table], score)
        return table[min(i, len(table) - 1)][1]

    def save(self, path: Path) -> None:
        tmp = Path(path).with_name(Path(path).name + ".tmp")
        tmp.write_text(json.dumps({"format": 1, "tables": self.tables}, indent=1),
                       encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Calibration:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            tables = {k: [(float(a), float(b)) for a, b in v] for k, v in
                      data["tables"].items()}
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ModelFileError(f"cannot read calibration {path}: {err}") from None
        return cls(tables)
