"""The relation model applied to a parsed document: every mention pair scored.

The model (:class:`graphkit.learn.linear.LinearModel`) gives each pair a relation
class (a relation and its direction, or none) and, for a tie it keeps, a modality. The
patterns' own candidates are features of the pair, so the model learns when to trust
them; a pattern candidate the model does not overrule is kept at its own confidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span

from graphkit.extract.candidates import Candidate
from graphkit.extract.modality import year_of
from graphkit.extract.pairs import Pair, modality_features, pair_features, sentence_pairs
from graphkit.learn import labels
from graphkit.learn.linear import LinearModel
from graphkit.vocab import EntityType, Modality

MODEL_DIR = Path(__file__).resolve().parent.parent / "data"
# The model files, in MODEL_DIR (or a folder given in the settings).
RELATION_MODEL = "relation-model.npz"
MODALITY_MODEL = "modality-model.npz"
TYPE_MODEL = "entity-type-model.npz"

_PLACE_TYPES = {EntityType.LOCATION.value, EntityType.STATE.value}


def pattern_labels(candidates: list[Candidate], pair: Pair) -> list[str]:
    """The classes the patterns gave this pair in its sentence."""
    a, b = pair.first.kb_id_, pair.second.kb_id_
    return [labels.label_for(c.relation, forward=c.subject == a) for c in candidates
            if c.start == pair.sentence.start_char and {c.subject, c.object} == {a, b}]


def pattern_table(candidates: list[Candidate], pair: Pair) -> dict[tuple[str, str], list[str]]:
    return {(pair.first.kb_id_, pair.second.kb_id_): pattern_labels(candidates, pair)}


@dataclass
class PairScorer:
    """Scores the pairs of a document with a relation and a modality model."""

    relations: LinearModel
    modality: LinearModel
    threshold: float = 0.5
    overrule: bool = False  # the model's NONE removes a pattern's tie on the same pair

    @classmethod
    def load(cls, folder: Path = MODEL_DIR, threshold: float = 0.5,
             overrule: bool = False) -> PairScorer:
        return cls(LinearModel.load(folder / RELATION_MODEL),
                   LinearModel.load(folder / MODALITY_MODEL), threshold, overrule)

    def read(self, doc: Doc, mentions: list[Span], found: list[Candidate]) -> list[Candidate]:
        """The model's ties and, unless ``overrule``, the patterns' too; one candidate per
        tie and sentence, the most confident."""
        out: list[Candidate] = []
        ruled: set[tuple[str, str, int]] = set()
        for sent in doc.sents:
            for pair in sentence_pairs(sent, mentions):
                ruled.add((pair.first.kb_id_, pair.second.kb_id_, sent.start_char))
                ruled.add((pair.second.kb_id_, pair.first.kb_id_, sent.start_char))
                out.extend(self._score(pair, found))
        # the patterns' ties on pairs the model never saw (across sentences), and, unless
        # the model overrules them, on every pair
        out.extend(c for c in found if not self.overrule
                   or (c.subject, c.object, c.start) not in ruled)
        best: dict[tuple, Candidate] = {}
        for c in out:
            key = (c.subject, c.relation, c.object, c.start)
            if key not in best or c.confidence > best[key].confidence:
                best[key] = c
        return list(best.values())

    def _score(self, pair: Pair, found: list[Candidate]) -> list[Candidate]:
        feats = pair_features(pair, pattern_table(found, pair))
        out = []
        for label, p in self.relations.proba(feats).items():
            parsed = labels.parse(label)
            if parsed is None or p < self.threshold:
                continue
            relation, forward = parsed
            subj, obj = (pair.first, pair.second) if forward else (pair.second, pair.first)
            obj_type = obj.label_
            if relation.value == "operatesIn":
                if obj_type not in _PLACE_TYPES:
                    continue
                obj_type = EntityType.LOCATION.value
            mod, _ = self.modality.predict(modality_features(pair))
            top = pair.governor
            out.append(Candidate(
                subject=subj.kb_id_, subject_type=subj.label_, relation=relation,
                object=obj.kb_id_, object_type=obj_type, modality=Modality(mod),
                confidence=round(p, 3), year=year_of(top, pair.sentence),
                start=pair.sentence.start_char, end=pair.sentence.end_char))
        return out
