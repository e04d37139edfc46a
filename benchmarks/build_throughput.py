"""Benchmark: ``graphkit build`` of 10,000 short documents, end to end.

Prints documents per second for the whole build and the share of each stage (reading
and extraction, the RDF graph, corroboration and contradictions, each output file), as
the build itself times them (``BuildSummary.timings``).

    python benchmarks/build_throughput.py                  # 10,000 documents, 2 workers
    python benchmarks/build_throughput.py --docs 1000 --workers 1
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from common import write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    from graphkit.build import build
    from graphkit.settings import Settings

    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        root = Path(tmp)
        chars = write_corpus(root / "in", args.docs, sentences=(2, 5))
        print(f"{args.docs:,} short articles ({chars / args.docs:.0f} characters on "
              f"average), {args.workers} worker(s)")
        settings = Settings(progress=False, workers=args.workers)
        start = time.perf_counter()
        summary = build([root / "in"], root / "out", settings)
        wall = time.perf_counter() - start
        print(f"build: {wall:.1f} s, {summary.documents / wall:.1f} documents/s, "
              f"{summary.statements:,} statements, {summary.entities} entities")
        for stage, seconds in summary.timings.items():
            print(f"  {stage:34} {seconds:7.1f} s  {seconds / wall:6.1%}")
        other = wall - sum(summary.timings.values())
        print(f"  {'other (loading the last build, checks)':34} {other:7.1f} s  "
              f"{other / wall:6.1%}")
        import resource  # ru_maxrss is in kilobytes on Linux

        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory: {own:.0f} MB in the building process"
              + (f", {workers:.0f} MB in the largest worker" if args.workers > 1 else ""))


if __name__ == "__main__":
    main()
