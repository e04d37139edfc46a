"""Benchmark: peak memory of ``graphkit extract`` and ``graphkit build`` as the corpus grows.

Runs each command on a corpus and on one ten times larger, and prints the peak resident
memory of both (``/usr/bin/time -v``) and their ratio. Extraction streams (documents are
read, parsed and written one batch at a time), so its ratio should stay near 1. A build
keeps what its outputs hold (statements, entities, document metadata, not texts), so its
peak grows with the statements, not with the text.

    python benchmarks/memory.py              # 60 and 600 articles
    python benchmarks/memory.py --docs 20    # 20 and 200
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import graphkit, run_timed, write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=60, help="articles in the smaller corpus")
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as tmp:
        root = Path(tmp)
        sizes = {"1x": args.docs, f"{args.factor}x": args.docs * args.factor}
        for name, count in sizes.items():
            write_corpus(root / name, count)
        for command in ("extract", "build"):
            peaks = []
            for name, count in sizes.items():
                argv = (graphkit("-q", "extract", str(root / name)) if command == "extract"
                        else graphkit("-q", "build", str(root / name), "--out",
                                      str(root / f"out-{name}")))
                run = run_timed(argv, root / f"{command}-{name}.out")
                peaks.append(run.peak_mb)
                print(f"{command:7} {count:6d} articles: {run.seconds:7.1f} s, "
                      f"peak {run.peak_mb:6.0f} MB")
            print(f"{command:7} peak memory ratio {args.factor}x / 1x: "
                  f"{peaks[1] / peaks[0]:.2f}")


if __name__ == "__main__":
    main()
