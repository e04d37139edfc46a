"""Calibration maps raw scores to the precision observed on unseen passages."""

from __future__ import annotations

import pytest

from graphkit.learn.calibration import Calibration, fit_isotonic
from graphkit.learn.linear import ModelFileError
from graphkit.training.calibrate import split


def test_isotonic_precision_never_falls_as_the_score_rises():
    # low scores right 1 time in 4, high scores 3 times in 4
    scored = [(0.1, False), (0.2, True), (0.3, False), (0.35, False),
              (0.7, True), (0.8, True), (0.85, False), (0.9, True)]
    table = fit_isotonic(scored, min_block=4)
    assert table == [(0.35, 0.25), (0.9, 0.75)]
    cal = Calibration({"model": table})
    assert cal.apply("model", 0.2) == 0.25
    assert cal.apply("model", 0.75) == 0.75
    assert cal.apply("model", 0.99) == 0.75  # above every block: the last block's share


def test_a_block_that_would_fall_is_pooled_with_the_one_below():
    # 0.9 is wrong after two right ones: the three pool to 2 of 3
    table = fit_isotonic([(0.5, True), (0.6, True), (0.9, False)], min_block=1)
    assert table == [(0.9, 0.6667)]


def test_methods_without_a_table_keep_their_raw_score():
    assert Calibration({"model": [(1.0, 0.5)]}).apply("pattern", 0.8) == 0.8


def test_save_and_load_round_trip(tmp_path):
    cal = Calibration({"both": [(0.5, 0.4), (1.0, 0.9)]})
    cal.save(tmp_path / "c.json")
    assert Calibration.load(tmp_path / "c.json").tables == cal.tables


def test_a_broken_calibration_file_is_a_clear_error(tmp_path):
    (tmp_path / "c.json").write_text("{}")
    with pytest.raises(ModelFileError, match="cannot read calibration"):
        Calibration.load(tmp_path / "c.json")


def test_the_calibration_split_is_stable_and_a_fifth():
    passages = [{"id": f"p-{i}"} for i in range(500)]
    rest, aside = split(passages)
    assert len(rest) + len(aside) == 500
    assert 70 < len(aside) < 130
    assert split(passages) == (rest, aside)
