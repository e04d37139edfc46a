"""Class names of the relation model: a relation and its direction over a mention pair.

A pair is read in text order (first mention, second mention). An asymmetric relation
from the first to the second is ``"<relation>>"``, the other way ``"<relation><"``; a
symmetric relation has one class; ``NONE`` is no relation.

>>> label_for(Relation.SPLINTER_OF, forward=False)
'splinterOf<'
>>> parse("splinterOf<")
(<Relation.SPLINTER_OF: 'splinterOf'>, False)
>>> parse(NONE) is None
True
"""

from __future__ import annotations

from graphkit.vocab import Modality, Relation

NONE = "NONE"
MODALITIES = [m.value for m in Modality]


def label_for(relation: Relation, forward: bool) -> str:
    if relation.symmetric:
        return relation.value
    return relation.value + (">" if forward else "<")


def parse(label: str) -> tuple[Relation, bool] | None:
    """The relation and whether it runs first → second; None for NONE."""
    if label == NONE:
        return None
    if label[-1] in "<>":
        return Relation(label[:-1]), label[-1] == ">"
    return Relation(label), True


ALL = [NONE] + [label_for(r, f) for r in Relation for f in (True, False)
                if f or not r.symmetric]
