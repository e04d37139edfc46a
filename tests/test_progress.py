"""The progress bar's time left: none until it means something, never absurd."""

from __future__ import annotations

import os
import pty
import select
import sys
import time

from graphkit.cli.base import Run
from graphkit.cli.commands import _progress
from graphkit.cli.progress import Eta


def test_no_estimate_while_the_pipeline_loads_or_after_one_slow_first_document():
    # 10 s to load and read the first document, then 0.1 s each: the first document
    # says nothing about the rest, so nothing is said until three more are done.
    ticks = iter([10.0, 10.1, 10.2, 12.2])
    eta = Eta(total=100, clock=lambda: next(ticks))
    assert [eta.advance() for _ in range(3)] == ["", "", ""]
    # 4 done; since the first: 3 documents in 2.2 s, 96 to go -> 96 * 2.2 / 3 = 70.4 s
    assert eta.advance() == "70 s left"


def test_no_estimate_before_two_seconds_however_many_documents():
    ticks = iter([5.0 + i * 0.01 for i in range(50)])
    eta = Eta(total=1000, clock=lambda: next(ticks))
    assert {eta.advance() for _ in range(50)} == {""}


def test_no_estimate_once_more_documents_are_done_than_were_expected():
    # the count of documents to expect is an estimate (a JSONL file may hold more)
    ticks = iter([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    eta = Eta(total=5, clock=lambda: next(ticks))
    shown = [eta.advance() for _ in range(6)]
    assert shown == ["", "", "", "1 s left", "", ""]  # at 4 of 5: 1 left * 3 s / 3


def test_the_bar_on_a_terminal_shows_no_estimate_for_a_short_run(monkeypatch):
    # A real pseudo-terminal: a first document 1.2 s in (as if the pipeline loaded),
    # then three quick ones. click's own ETA drew "00:00:03" here (1.2 s per document
    # times 3 to go) while well under a second remained.
    master, slave = pty.openpty()
    terminal = os.fdopen(slave, "w")
    monkeypatch.setattr(sys, "stderr", terminal)
    with _progress(Run(debug=False, quiet=False), 4) as advance:
        time.sleep(1.2)
        for _ in range(4):
            advance(None, 0)
    terminal.flush()
    drawn = _drain(master)
    terminal.close()
    os.close(master)
    assert "reading" in drawn and "4/4" in drawn
    assert "00:00:" not in drawn and "left" not in drawn


def _drain(fd: int) -> str:
    """Everything written to the terminal so far (a read may return only part)."""
    chunks = []
    while select.select([fd], [], [], 0.3)[0]:
        chunks.append(os.read(fd, 65536))
    return b"".join(chunks).decode()
