"""Train the relation and modality models from the annotated corpus.

    python -m graphkit.training.train [--train corpus/train] [--heldout corpus/heldout]
                                      [--out graphkit/data] [--seed 0]

(``make train`` runs it.) First the entity-type model is fitted on the entities the
mention layer finds; then the pipeline reads every training passage again, with that
entity layer and the patterns, and each mention pair becomes an example
(:mod:`graphkit.training.examples`): the relation model is fitted on the pairs, the
modality model on the true ties. The same is done once on four fifths of the training
passages, to fit the confidence calibration on the other fifth
(:mod:`graphkit.training.calibrate`). All four files are saved to ``--out``; then
extraction with them is scored on the held-out split, which training never reads.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from graphkit.extract.scoring import (
    CALIBRATION,
    MODALITY_MODEL,
    MODEL_DIR,
    RELATION_MODEL,
    TYPE_MODEL,
)
from graphkit.learn.linear import LinearModel
from graphkit.settings import Settings
from graphkit.training.augment import augmented
from graphkit.training.calibrate import calibration, split
from graphkit.training.corpus import check, read_corpus
from graphkit.training.examples import Example, TypeExample, examples, type_examples

ROOT = Path(__file__).resolve().parents[2]
# Share of the training passages read a second time with their groups renamed
# (graphkit.training.augment), so the models learn the context, not the name.
AUGMENT = 0.5
# Weight of a NONE pair against a true tie: most pairs relate nothing, and an
# unweighted fit learns to say so too often.
NONE_WEIGHT = 0.6
RELATION_L2 = 1.0
MODALITY_L2 = 1.0
TYPE_L2 = 1.0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_types(settings: Settings, passages: list[dict]) -> list[TypeExample]:
    from graphkit.extract.pipeline import load_pipeline

    nlp = load_pipeline(replace(settings, use_model=False, entity_types="collect"))
    return list(type_examples(nlp, passages))


def read_examples(settings: Settings, passages: list[dict]) -> list[Example]:
    from graphkit.extract.pipeline import load_pipeline

    nlp = load_pipeline(replace(settings, use_model=False))
    out: list[Example] = []
    for n, ex in enumerate(examples(nlp, passages)):
        out.append(ex)
        if n and n % 5000 == 0:
            _log(f"  {n} pairs")
    return out


def _fit_relations(train: list[Example], seed: int, none_weight: float,
                   l2: float) -> LinearModel:
    weights = [none_weight if e.label == "NONE" else 1.0 for e in train]
    return LinearModel.train([e.features for e in train], [e.label for e in train],
                             l2=l2, min_count=2, seed=seed, weights=weights)


def expressing(train: list[Example], model: LinearModel) -> list[Example]:
    """Multi-instance labelling: a passage states a tie once, but its two entities may
    meet in several sentences. Of the pairs that carry one gold tie, keep the one the
    model finds likeliest to state it; the others are left out, neither true nor false."""
    best: dict[tuple, tuple[float, int]] = {}
    for n, e in enumerate(train):
        if e.tie:
            p = model.proba(e.features)[e.label]
            key = (*e.tie, e.label)
            if key not in best or p > best[key][0]:
                best[key] = (p, n)
    keep = {n for _, n in best.values()}
    return [e for n, e in enumerate(train) if not e.tie or n in keep]


def fit(train: list[Example], seed: int, none_weight: float = NONE_WEIGHT,
        l2: float = RELATION_L2) -> tuple[LinearModel, LinearModel]:
    relations = _fit_relations(train, seed, none_weight, l2)
    train = expressing(train, relations)
    relations = _fit_relations(train, seed, none_weight, l2)
    ties = [e for e in train if e.modality is not None]
    modality = LinearModel.train([e.modality_features for e in ties],
                                 [str(e.modality) for e in ties], l2=MODALITY_L2,
                                 min_count=2, seed=seed)
    return relations.pruned(), modality.pruned()


def pair_accuracy(model: LinearModel, held: list[Example]) -> str:
    tp = fp = fn = 0
    for e in held:
        guess, _ = model.predict(e.features)
        if guess != "NONE" and guess == e.label:
            tp += 1
        else:
            fp += guess != "NONE"
            fn += e.label != "NONE"
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"pairs: P={p:.3f} R={r:.3f} F1={f:.3f} (n={len(held)})"


def train_models(settings: Settings, passages: list[dict], out: Path,
                 args: argparse.Namespace) -> LinearModel:
    """The entity-type model, then (reading with it) the relation and modality models,
    saved into ``out``; returns the relation model. The passages are read with renamed
    copies of a share of them (``args.augment``)."""
    passages = augmented(passages, args.augment, args.seed)
    _log(f"  entity types: reading {len(passages)} passages")
    found = read_types(settings, passages)
    types = LinearModel.train([e.features for e in found], [e.label for e in found],
                              l2=TYPE_L2, min_count=2, seed=args.seed).pruned()
    types.save(out / TYPE_MODEL)
    _log(f"  relations: reading them again with the entity layer ({len(found)} entities)")
    train = read_examples(replace(settings, model_dir=out), passages)
    ties = sum(1 for e in train if e.label != "NONE")
    _log(f"  {len(train)} pairs, {ties} of them ties")
    relations, modality = fit(train, args.seed, args.none_weight, args.l2)
    relations.save(out / RELATION_MODEL)
    modality.save(out / MODALITY_MODEL)
    return relations


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=ROOT / "corpus" / "train")
    ap.add_argument("--heldout", type=Path, default=ROOT / "corpus" / "heldout")
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--none-weight", type=float, default=NONE_WEIGHT,
                    help="weight of a pair with no tie against a true tie")
    ap.add_argument("--threshold", type=float, default=Settings.model_threshold,
                    help="least probability of a tie, for the held-out extraction score")
    ap.add_argument("--l2", type=float, default=RELATION_L2,
                    help="L2 penalty of the relation model")
    ap.add_argument("--augment", type=float, default=AUGMENT,
                    help="share of passages also read with their groups renamed (0: none)")
    args = ap.parse_args(argv)
    settings = Settings(progress=False, model_threshold=args.threshold)
    train_p, held_p = read_corpus(args.train), read_corpus(args.heldout)
    faults = list(check(train_p)) + list(check(held_p))
    faults += [f"{i} is in both the training and the held-out split" for i in
               {str(p["id"]) for p in train_p} & {str(p["id"]) for p in held_p}]
    if faults:
        _log("\n".join(faults[:20]))
        _log(f"train: the corpus has {len(faults)} problems; fix them first")
        return 1
    start = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    rest, aside = split(train_p)
    with tempfile.TemporaryDirectory(prefix="graphkit-calibration-") as tmp:
        _log(f"calibration: training on {len(rest)} passages, scoring {len(aside)} others")
        train_models(settings, rest, Path(tmp), args)
        table = calibration(replace(settings, model_dir=Path(tmp)), aside)
    _log(f"final models: training on all {len(train_p)} passages")
    relations = train_models(settings, train_p, args.out, args)
    table.save(args.out / CALIBRATION)
    _log(f"trained in {time.perf_counter() - start:.0f} s -> {args.out}")
    settings = replace(settings, model_dir=args.out)
    type_held = read_types(settings, held_p)
    types = LinearModel.load(args.out / TYPE_MODEL)
    right = sum(types.predict(e.features)[0] == e.label for e in type_held)
    print(f"held-out entity types: {right} of {len(type_held)} right "
          f"({right / max(1, len(type_held)):.3f})")
    held = read_examples(settings, held_p)
    print(f"held-out {pair_accuracy(relations, held)}")
    from graphkit.evaluate import evaluate

    report = evaluate(args.heldout, settings)
    print(f"held-out extraction ({len(held_p)} passages):")
    print(report.render(), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
