"""Train the relation and modality models from the annotated corpus.

    python -m graphkit.training.train [--train corpus/train] [--heldout corpus/heldout]
                                      [--out graphkit/data] [--seed 0]

(``make train`` runs it.) The pipeline reads every training passage with the patterns
alone; each mention pair becomes an example (:mod:`graphkit.training.examples`). The
relation model is fitted on the pairs, the modality model on the true ties; both are
saved to ``--out``; then extraction with the new models is scored on the held-out
split, which training never reads.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from graphkit.extract.scoring import MODALITY_MODEL, MODEL_DIR, RELATION_MODEL, TYPE_MODEL
from graphkit.learn.linear import LinearModel
from graphkit.settings import Settings
from graphkit.training.corpus import check, read_corpus
from graphkit.training.examples import Example, TypeExample, examples, type_examples

ROOT = Path(__file__).resolve().parents[2]
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


def fit(train: list[Example], seed: int) -> tuple[LinearModel, LinearModel]:
    weights = [NONE_WEIGHT if e.label == "NONE" else 1.0 for e in train]
    relations = LinearModel.train([e.features for e in train], [e.label for e in train],
                                  l2=RELATION_L2, min_count=2, seed=seed, weights=weights)
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=ROOT / "corpus" / "train")
    ap.add_argument("--heldout", type=Path, default=ROOT / "corpus" / "heldout")
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    settings = Settings(progress=False)
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
    _log(f"entity types: reading {len(train_p)} training passages")
    type_train = read_types(settings, train_p)
    types = LinearModel.train([e.features for e in type_train], [e.label for e in type_train],
                              l2=TYPE_L2, min_count=2, seed=args.seed).pruned()
    types.save(args.out / TYPE_MODEL)
    type_held = read_types(settings, held_p)
    right = sum(types.predict(e.features)[0] == e.label for e in type_held)
    print(f"held-out entity types: {right} of {len(type_held)} right "
          f"({right / max(1, len(type_held)):.3f}); {len(type_train)} training entities")
    settings = replace(settings, model_dir=args.out)
    _log("relations: reading the training passages again, with the entity layer")
    train = read_examples(settings, train_p)
    counts = Counter(e.label for e in train)
    _log(f"{len(train)} training pairs; {sum(c for k, c in counts.items() if k != 'NONE')} ties")
    relations, modality = fit(train, args.seed)
    relations.save(args.out / RELATION_MODEL)
    modality.save(args.out / MODALITY_MODEL)
    _log(f"trained in {time.perf_counter() - start:.0f} s: {len(relations.features)} "
         f"relation features, {len(modality.features)} modality features -> {args.out}")
    held = read_examples(settings, held_p)
    print(f"held-out {pair_accuracy(relations, held)}")
    from graphkit.evaluate import evaluate

    report = evaluate(args.heldout, settings)
    print(f"held-out extraction ({len(held_p)} passages):")
    print(report.render(), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
