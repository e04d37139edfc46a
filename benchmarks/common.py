"""What the benchmarks share: a generated news corpus and timed subprocess runs.

The corpus is written for the benchmarks (invented groups, places and officials; one to
three relation sentences per article among ordinary reporting), so extraction does the
work it does on real news. Every run is a separate process timed whole, model load
included, with peak memory read from ``/usr/bin/time -v`` where it exists.
"""

from __future__ import annotations

import random
import re
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

GROUPS = ["the Red Delta Army", "the Free Coast Brigades", "the Northern Hill Movement",
          "the Harbour Front", "the Sand River Militia", "the Eastern Ridge Council",
          "the Iron Gate Legion", "the Blue Valley Alliance", "the Southern Dawn Brigade",
          "the Cedar Hills Front", "the Stone Bridge Movement", "the Western Reach Army"]
PLACES = ["Port Calder", "the Verrin valley", "Mosra province", "the Tellan hills",
          "Akaro", "the northern delta"]
CLAIMS = ["{a} allied with {b} in {y}.",
          "{a} clashed with {b} near {p} in {y}.",
          "{a} denied any link to {b}.",
          "{a} may have joined forces with {b}, according to local officials.",
          "{a} split from {b} in {y} after a dispute over leadership.",
          "{a} pledged allegiance to {b} in {y}.",
          "Officials said {a} held talks with {b} in {p} last year.",
          "{a} is active in {p}."]
FILLER = ["Farmers planted maize near the river while traders sold grain at the market.",
          "The rains came late this year and several roads were closed for repairs.",
          "Teachers in {p} asked for more books and a second classroom.",
          "A new clinic opened on the edge of town with two nurses and a doctor.",
          "Fishermen said the catch had improved since the dry season ended.",
          "Local officials met residents of {p} to discuss the water supply and prices.",
          "The governor promised to rebuild the bridge before the harvest.",
          "Aid workers distributed blankets to families displaced by the floods."]


def article(rng: random.Random, sentences: tuple[int, int] = (6, 14)) -> str:
    """One news article: filler reporting with one to three relation sentences."""
    body = [rng.choice(FILLER).format(p=rng.choice(PLACES))
            for _ in range(rng.randint(*sentences))]
    for _ in range(rng.randint(1, 3)):
        a, b = rng.sample(GROUPS, 2)
        claim = rng.choice(CLAIMS).format(a=a, b=b, p=rng.choice(PLACES),
                                          y=rng.randint(1995, 2024))
        body.insert(rng.randrange(len(body) + 1), claim[0].upper() + claim[1:])
    return " ".join(body)


def write_corpus(folder: Path, count: int, seed: int = 11,
                 sentences: tuple[int, int] = (6, 14)) -> int:
    """Write ``count`` articles as ``folder/NNNNN.txt``; returns the characters written."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(count):
        text = article(rng, sentences)
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


@dataclass
class Timed:
    seconds: float
    peak_mb: float
    stdout: bytes


def run_timed(argv: list[str], stdout_path: Path | None = None) -> Timed:
    """Run ``argv`` as its own process; wall time and peak resident memory."""
    import time

    time_tool = "/usr/bin/time" if Path("/usr/bin/time").exists() else shutil.which("time")
    full = [time_tool, "-v", *argv] if time_tool else argv
    start = time.monotonic()
    if stdout_path is not None:
        with stdout_path.open("wb") as fh:
            proc = subprocess.run(full, stdout=fh, stderr=subprocess.PIPE)
        out = b""
    else:
        proc = subprocess.run(full, capture_output=True)
        out = proc.stdout
    wall = time.monotonic() - start
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode not in (0, 3):  # 3: finished, some input skipped
        sys.exit(f"{' '.join(argv[:4])} ... failed ({proc.returncode}):\n{stderr[-2000:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    peak_kb = (int(match.group(1)) if match
               else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return Timed(wall, peak_kb / 1024, out)


def graphkit(*args: str) -> list[str]:
    """``graphkit ARGS`` run by this interpreter."""
    script = "import sys; from graphkit.cli import main; sys.exit(main())"
    return [sys.executable, "-c", script, *args]


# A bare spaCy pass: the same pipeline over the same files, reading them the same way.
BARE_SPACY = """
import sys
from pathlib import Path
import spacy
nlp = spacy.load(sys.argv[1])
texts = (p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).glob("*.txt")))
for _ in nlp.pipe(texts, batch_size=64):
    pass
"""


def bare_spacy(model: str, folder: Path) -> list[str]:
    return [sys.executable, "-c", BARE_SPACY, model, str(folder)]
