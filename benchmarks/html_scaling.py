"""Benchmark: reading HTML is linear in the input.

Each page shape is read at a base size and then doubled a few times; the time of each
size is printed with its ratio to the size before. About 2 per doubling means linear,
about 4 quadratic. The ratios are measured against the same run's smaller sizes, so
they hold on any machine, loaded or not (the median of three reads is taken).

    python benchmarks/html_scaling.py             # base 25,000 repeats, 3 doublings
    python benchmarks/html_scaling.py --base 100000 --doublings 2

Shapes: ``<div> `` repeated (white space between blocks, once minutes for 1.2 MB);
stray end tags after deep nesting; a news page with navigation whose article grows
(the path through the main-content extractor). Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from graphkit.ingest.article import html_to_text

PARAGRAPH = ("<p>Residents of district {i} said the Harbour Front had left the coast road "
             "on Tuesday, according to provincial officials.</p>")


def whitespace_blocks(n: int) -> str:
    return "<div> " * n


def stray_end_tags(n: int) -> str:
    return "<div>" * n + "</span>" * n


def news_page(n: int) -> str:
    # One paragraph per 40 repeats of the other shapes, so the pages are of like size.
    body = "".join(PARAGRAPH.format(i=i) for i in range(max(1, n // 40)))
    return ("<html><head><title>Coast road</title></head><body><nav><a href='/'>Home</a>"
            f"</nav><article><h1>Coast road closed</h1>{body}</article><aside><h2>Related"
            "</h2><a href='/x'>Elders call for calm</a></aside><footer>Example News"
            "</footer></body></html>")


SHAPES: dict[str, Callable[[int], str]] = {
    "<div> repeated": whitespace_blocks,
    "stray end tags": stray_end_tags,
    "article page": news_page,
}


def seconds_to_read(page: str, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        html_to_text(page)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=25_000, help="repeats at the first size")
    parser.add_argument("--doublings", type=int, default=3)
    args = parser.parse_args()
    worst = 0.0
    for name, make in SHAPES.items():
        print(f"{name}:")
        previous = None
        for step in range(args.doublings + 1):
            page = make(args.base * 2 ** step)
            took = seconds_to_read(page)
            ratio = "" if previous is None else f"   x{took / previous:.2f} per doubling"
            if previous is not None:
                worst = max(worst, took / previous)
            print(f"  {len(page) / 1e6:7.2f} MB  {took:7.3f} s{ratio}")
            previous = took
    print(f"largest ratio per doubling: {worst:.2f} (2 is linear, 4 quadratic)")


if __name__ == "__main__":
    main()
