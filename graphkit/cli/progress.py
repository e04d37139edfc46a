"""The progress bar's estimate of the time left, only once it means something.

click's own ETA divides the time since the bar started, pipeline load included, by the
documents done: four short documents after a 10 s load showed "00:00:30" left when one
second remained, and while loading it multiplied the wait by every document still to
come. Here the clock starts when the first document is done (the load and the workers'
start are behind us then), and nothing is shown until a few more documents and a few
seconds have passed, or when the count of documents to expect was too low.

>>> ticks = iter([10.0, 10.5, 11.0, 12.0, 12.5])   # seconds at each finished document
>>> eta = Eta(total=20, clock=lambda: next(ticks))
>>> [eta.advance() for _ in range(5)]
['', '', '', '11 s left', '9 s left']
"""

from __future__ import annotations

import time
from collections.abc import Callable

# Documents finished after the first, and seconds since it, before an estimate is shown.
MIN_DOCUMENTS = 3
MIN_SECONDS = 2.0


class Eta:
    """Counts finished documents and says how long the rest will take at the rate since
    the first one finished."""

    def __init__(self, total: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.clock = clock
        self.done = 0
        self.first: float | None = None  # when the first document was done
        self.last: float | None = None

    def advance(self, n: int = 1) -> str:
        """Record ``n`` more finished documents; the text to show (may be empty)."""
        now = self.clock()
        self.done += n
        if self.first is None:
            self.first = now
        self.last = now
        seconds = self.seconds_left()
        return "" if seconds is None else f"{_duration(seconds)} left"

    def seconds_left(self) -> float | None:
        """The estimate, or None while it would be a guess."""
        if self.first is None or self.last is None:
            return None
        since, elapsed = self.done - 1, self.last - self.first
        left = self.total - self.done
        if since < MIN_DOCUMENTS or elapsed < MIN_SECONDS or left <= 0:
            return None
        return left * elapsed / since


def _duration(seconds: float) -> str:
    """About how long, in the largest unit that matters.

    >>> _duration(32.4), _duration(125), _duration(3 * 3600 + 300)
    ('32 s', '2 min', '3 h 05 min')
    """
    if seconds < 90:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
