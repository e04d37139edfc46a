"""The linear classifier and the model's class names, without a pipeline."""

from __future__ import annotations

import numpy as np
import pytest

from graphkit.learn import labels
from graphkit.learn.linear import LinearModel, ModelFileError
from graphkit.vocab import Relation

ROWS = [["w:ally", "t:GG"], ["w:ally"], ["w:fight", "t:GG"], ["w:fight"], ["w:met"], ["w:met"]]
GOLD = ["alliedWith", "alliedWith", "rivalOf", "rivalOf", "NONE", "NONE"]


@pytest.fixture(scope="module")
def model() -> LinearModel:
    return LinearModel.train(ROWS, GOLD, l2=0.1, seed=0)


def test_learns_each_class_from_its_word(model):
    assert model.predict(["w:ally"])[0] == "alliedWith"
    assert model.predict(["w:fight"])[0] == "rivalOf"
    assert model.predict(["w:met"])[0] == "NONE"


def test_unknown_features_give_the_prior_not_an_error(model):
    # "NONE", "alliedWith" and "rivalOf" are equally frequent: no class is far ahead
    probs = model.proba(["never-seen"])
    assert max(probs.values()) < 0.5


def test_training_is_reproducible_with_a_seed():
    a = LinearModel.train(ROWS, GOLD, l2=0.1, seed=3)
    b = LinearModel.train(ROWS, GOLD, l2=0.1, seed=3)
    assert np.array_equal(a.weights, b.weights)


def test_min_count_drops_rare_features():
    m = LinearModel.train(ROWS, GOLD, l2=0.1, min_count=3)
    # "t:GG" appears twice, every "w:" feature twice: none reaches three
    assert m.features == {}


def test_sample_weights_shift_the_decision():
    rows, gold = [["x"], ["x"]], ["A", "B"]
    m = LinearModel.train(rows, gold, weights=[1.0, 0.1], l2=0.01)
    assert m.predict(["x"])[0] == "A"


def test_save_and_load_give_the_same_answers(model, tmp_path):
    path = tmp_path / "m.gkm"
    model.save(path)
    again = LinearModel.load(path)
    assert again.classes == model.classes
    for row in ROWS:
        assert again.predict(row)[0] == model.predict(row)[0]
    assert not list(tmp_path.glob("*.tmp*"))  # the temporary file was renamed away


def test_pruning_keeps_the_answers(model):
    small = model.pruned(0.05)
    assert len(small.features) <= len(model.features)
    for row in ROWS:
        assert small.predict(row)[0] == model.predict(row)[0]


def test_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelFileError, match="cannot read model .*absent.gkm"):
        LinearModel.load(tmp_path / "absent.gkm")


def test_not_a_model_file_is_refused(tmp_path):
    path = tmp_path / "m.gkm"
    path.write_text("hello")
    with pytest.raises(ModelFileError, match="is not a graphkit model file"):
        LinearModel.load(path)


def test_a_truncated_model_file_is_refused(model, tmp_path):
    path = tmp_path / "m.gkm"
    model.save(path)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(ModelFileError, match="damaged model file"):
        LinearModel.load(path)


def test_a_file_of_another_format_is_refused(model, tmp_path):
    path = tmp_path / "m.gkm"
    model.save(path)
    path.write_bytes(path.read_bytes().replace(b'"format": 1', b'"format": 9'))
    with pytest.raises(ModelFileError, match="model format 9"):
        LinearModel.load(path)


def test_weights_that_do_not_match_the_lists_are_refused(tmp_path):
    path = tmp_path / "m.gkm"
    # one feature and two classes want 2 x 2 weights (the feature and the bias), not 5 x 2
    LinearModel({"x": 0}, ["A", "B"], np.zeros((5, 2), np.float32), {}).save(path)
    with pytest.raises(ModelFileError, match="do not match"):
        LinearModel.load(path)


def test_labels_carry_direction_only_for_asymmetric_relations():
    assert labels.label_for(Relation.ALLIED_WITH, forward=False) == "alliedWith"
    assert labels.label_for(Relation.LEADER_OF, forward=True) == "leaderOf>"
    assert labels.parse("leaderOf<") == (Relation.LEADER_OF, False)
    assert labels.parse("rivalOf") == (Relation.RIVAL_OF, True)
    # 3 symmetric relations, 8 asymmetric in two directions, and NONE
    assert len(labels.ALL) == 3 + 16 + 1
