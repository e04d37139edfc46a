"""The relation model applied to a parsed document: every mention pair scored.

The model (:class:`graphkit.learn.linear.LinearModel`) gives each pair a relation
class (a relation and its direction, or none) and, for a tie it keeps, a modality. The
patterns' own candidates are features of the pair, so the model learns when to trust
them. The patterns' ties are kept beside the model's; where both found a tie, the pattern's
modality and year stand. Every
confidence is then calibrated (:mod:`graphkit.learn.calibration`) by how the tie was
found: by the patterns, the model, or both.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from graphkit.extract.candidates import Candidate
from graphkit.extract.modality import modality_of, year_of
from graphkit.extract.pairs import (
    Pair,
    modality_features,
    pair_features,
    sentence_pairs,
)
from graphkit.extract.roles import third_party
from graphkit.learn import labels
from graphkit.learn.calibration import Calibration
from graphkit.learn.linear import LinearModel
from graphkit.vocab import EntityType, Modality, Relation

MODEL_DIR = Path(__file__).resolve().parent.parent / "data"
# The model files, in MODEL_DIR (or a folder given in the settings).
RELATION_MODEL = "relation-model.gkm"
MODALITY_MODEL = "modality-model.gkm"
TYPE_MODEL = "entity-type-model.gkm"
CALIBRATION = "calibration.json"

_PLACE_TYPES = {EntityType.LOCATION.value, EntityType.STATE.value}
# Least probability of "asserted" for the model to state a tie as fact (chosen on a
# tuning split of the training corpus: fewer denials and hedges drawn as fact, same F1).
MIN_ASSERTED = 0.8


# Relations one sentence cannot state of one pair together: a pattern's reading of the
# sentence rules out the model's contrary one.
CONFLICTING = {Relation.ALLIED_WITH: frozenset({Relation.RIVAL_OF}),
               Relation.RIVAL_OF: frozenset({Relation.ALLIED_WITH})}


def model_folder(model_dir: str | Path | None) -> Path:
    """The folder of the model files: the one given, else the shipped MODEL_DIR."""
    return Path(model_dir) if model_dir else MODEL_DIR


def pattern_labels(candidates: list[Candidate], pair: Pair) -> list[str]:
    """The classes the patterns gave this pair in its sentence."""
    a, b = pair.first.kb_id_, pair.second.kb_id_
    return [labels.label_for(c.relation, forward=c.subject == a) for c in candidates
            if c.start == pair.sentence.start_char and {c.subject, c.object} == {a, b}]


def _mediator(mention: Span) -> bool:
    """A name in a prepositional phrase that names it a third party ("with Norway and
    Qatar as guarantors"); the clause's own subject is never one."""
    base = mention.root
    while base.dep_ == "conj" and base.head.i != base.i:
        base = base.head
    return base.dep_ == "pobj" and third_party(mention.root)


def _overruled(model: Candidate, found: list[Candidate]) -> bool:
    """Whether a pattern's tie in the same sentence rules the model's out: the two
    would contradict each other (allied and rival from one sentence), or the model gave
    the pattern's leader another group, or the pattern's group another leader (one
    "their leader, P" names one leader of one group)."""
    for c in found:
        if c.start != model.start:
            continue
        same_pair = {c.subject, c.object} == {model.subject, model.object}
        if same_pair and model.relation in CONFLICTING.get(c.relation, ()):
            return True
        if c.relation is model.relation is Relation.LEADER_OF and (
                (c.subject == model.subject) != (c.object == model.object)):
            return True
    return False


def _tie(c: Candidate) -> tuple[str, str, str, int]:
    """What a candidate claims, in one sentence; a symmetric tie in either order."""
    a, b = c.relation.ordered(c.subject, c.object)
    return (a, c.relation.value, b, c.start)


@dataclass
class PairScorer:
    """Scores the pairs of a document with a relation and a modality model."""

    relations: LinearModel
    modality: LinearModel
    threshold: float = 0.5
    calibration: Calibration = field(default_factory=lambda: Calibration({}))

    @classmethod
    def load(cls, folder: Path = MODEL_DIR, threshold: float = 0.5) -> PairScorer:
        """The models of a folder; its calibration too, when training wrote one."""
        table = folder / CALIBRATION
        return cls(LinearModel.load(folder / RELATION_MODEL),
                   LinearModel.load(folder / MODALITY_MODEL), threshold,
                   Calibration.load(table) if table.exists() else Calibration({}))

    def read(self, doc: Doc, mentions: list[Span], found: list[Candidate]) -> list[Candidate]:
        """The model's ties and the patterns'; one candidate per tie and sentence."""
        out = [c for sent in doc.sents for pair in sentence_pairs(sent, mentions)
               for c in self._score(pair, found) if not _overruled(c, found)]
        # several mention pairs of one sentence may name the same tie: the surest counts
        out.sort(key=lambda c: -c.confidence)
        # The patterns' ties stand beside the model's. Where both found a tie, the
        # pattern's reading of modality and year (made at its trigger word) is kept, at
        # the higher of the two confidences.
        best: dict[tuple, Candidate] = {}
        for c in out:
            best.setdefault(_tie(c), c)
        for c in found:
            key = _tie(c)
            model = best.get(key)
            best[key] = c if model is None else replace(
                c, confidence=max(c.confidence, model.confidence), method="both")
        # in text order, as the patterns alone give them
        return sorted((replace(c, confidence=round(self.calibration.apply(
            c.method, c.confidence, c.relation.value), 3)) for c in best.values()),
            key=lambda c: c.start)

    def _modality(self, pair: Pair, top: Token) -> str:
        """The model's reading, unless the hand-written scope rules find a negation or
        a hedge it missed: a tie stated as fact must be fact to both. The model must be
        sure of a fact (MIN_ASSERTED); short of that, its likelier other reading wins,
        since a denial drawn as fact misleads more than a fact kept as a claim."""
        probs = self.modality.proba(modality_features(pair))
        learned = max(probs, key=probs.__getitem__)
        if learned == Modality.ASSERTED.value and probs[learned] < MIN_ASSERTED:
            learned = max((m for m in probs if m != learned), key=probs.__getitem__)
        rule = modality_of(top, pair.sentence)
        return learned if rule is Modality.ASSERTED else rule.value

    def _score(self, pair: Pair, found: list[Candidate]) -> list[Candidate]:
        feats = pair_features(pair, pattern_labels(found, pair))
        out = []
        for label, p in self.relations.proba(feats).items():
            parsed = labels.parse(label)
            if parsed is None or p < self.threshold:
                continue
            relation, forward = parsed
            subj, obj = (pair.first, pair.second) if forward else (pair.second, pair.first)
            if relation is Relation.NEGOTIATES_WITH and any(map(_mediator, (subj, obj))):
                continue  # mediators, hosts and guarantors are not parties to talks
            obj_type = obj.label_
            if relation is Relation.OPERATES_IN:
                if obj_type not in _PLACE_TYPES:
                    continue
                obj_type = EntityType.LOCATION.value
            top = pair.governor
            mod = self._modality(pair, top)
            out.append(Candidate(
                subject=subj.kb_id_, subject_type=subj.label_, relation=relation,
                object=obj.kb_id_, object_type=obj_type, modality=Modality(mod),
                confidence=round(p, 3), year=year_of(top, pair.sentence),
                start=pair.sentence.start_char, end=pair.sentence.end_char, method="model"))
        return out
