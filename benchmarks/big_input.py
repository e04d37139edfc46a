"""Benchmark: ``graphkit extract`` over one generated plain-text file of a given size.

Reports wall time, throughput, peak memory (resident set) and the statement count, so
a claim like "a 100 MB input completes in bounded memory" can be checked on any machine:

    python benchmarks/big_input.py            # 100 MB (takes a long time)
    python benchmarks/big_input.py --mb 2     # a quick sample of the same text
    python benchmarks/big_input.py --workers 2   # segments read by two processes

The text is ordinary prose in paragraphs, with one relation sentence in about every
twenty, so the extractor does realistic work. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from pathlib import Path

from common import graphkit, run_timed

GROUPS = ["the Red Delta Army", "the Free Coast Brigades", "the Northern Hill Movement",
          "the Harbour Front", "the Sand River Militia", "the Eastern Ridge Council"]
VERBS = ["allied with", "clashed with", "denied any link to", "may have joined",
         "fought alongside", "split from"]
FILLER = [
    "Farmers planted maize near the river while traders sold grain at the market.",
    "The rains came late this year and several roads were closed for repairs.",
    "Teachers in the district asked for more books and a second classroom.",
    "A new clinic opened on the edge of town with two nurses and a doctor.",
    "Fishermen said the catch had improved since the dry season ended.",
    "Local officials met residents to discuss the water supply and prices.",
]


def paragraph(rng: random.Random) -> str:
    """About a dozen sentences, one of them naming two groups and a relation."""
    sentences = [rng.choice(FILLER) for _ in range(rng.randint(8, 16))]
    a, b = rng.sample(GROUPS, 2)
    claim = f"{a[0].upper()}{a[1:]} {rng.choice(VERBS)} {b} in {rng.randint(1995, 2024)}."
    sentences.insert(rng.randrange(len(sentences)), claim)
    return " ".join(sentences)


def generate(path: Path, megabytes: float, seed: int = 7) -> int:
    """Write about ``megabytes`` MB of paragraphs to ``path``; returns the byte count."""
    rng = random.Random(seed)
    target, written = int(megabytes * 1_000_000), 0
    with path.open("w", encoding="utf-8") as fh:
        while written < target:
            chunk = "\n\n".join(paragraph(rng) for _ in range(20)) + "\n\n"
            fh.write(chunk)
            written += len(chunk.encode("utf-8"))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="input size in MB")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes (segments of the one file are shared out)")
    parser.add_argument("--keep", type=Path, help="keep the input and output in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="graphkit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        source, out = folder / "big.txt", folder / "statements.jsonl"
        size = generate(source, args.mb)
        result = run_timed(graphkit("-q", "extract", "--workers", str(args.workers),
                                    str(source)), out)
        with out.open("rb") as fh:
            statements = sum(1 for _ in fh)
        mb = size / 1_000_000
        print(f"input: {mb:.1f} MB in one file, {args.workers} worker(s)")
        print(f"time: {result.seconds:.1f} s ({mb / result.seconds * 60:.2f} MB/min)")
        print(f"peak memory (RSS): {result.peak_mb:.0f} MB")
        print(f"statements: {statements}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
