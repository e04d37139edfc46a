"""`make train` end to end on a corpus small enough for a test: the models are
written, reproducible, and used by extraction; bad corpora are refused."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from graphkit.extract.scoring import CALIBRATION, MODALITY_MODEL, RELATION_MODEL, TYPE_MODEL
from graphkit.training.train import main

GROUPS = [("Tamzeen", "Vreli"), ("Okondo", "Sabr Kul"), ("Noor Ummah", "Kelvar Front"),
          ("Ossan Movement", "Darva Brigade")]
TEMPLATES = [
    ("{a} fought {b} near the border last year.", "rivalOf", "asserted"),
    ("{a} allied with {b} after long talks.", "alliedWith", "asserted"),
    ("{a} denied any alliance with {b}.", "alliedWith", "negated"),
    ("Officials said {a} clashed with {b} again.", "rivalOf", "asserted"),
]


def corpus(prefix: str, groups: list[tuple[str, str]]) -> list[dict]:
    out = []
    for n, (a, b) in enumerate(groups):
        for m, (text, rel, modality) in enumerate(TEMPLATES):
            out.append({"id": f"{prefix}-{n}-{m}", "text": text.format(a=a, b=b), "entities": {
                "a": {"label": a, "type": "MilitantGroup"},
                "b": {"label": b, "type": "MilitantGroup"}},
                "statements": [{"s": "a", "p": rel, "o": "b", "modality": modality}]})
    return out


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("train")
    (root / "train").mkdir()
    (root / "held").mkdir()
    (root / "train" / "a.json").write_text(json.dumps(corpus("tr", GROUPS[:3])))
    (root / "held" / "a.json").write_text(json.dumps(corpus("ho", GROUPS[3:])))
    return root / "train", root / "held"


@pytest.fixture(scope="module")
def trained(folders, tmp_path_factory) -> tuple[Path, str]:
    import contextlib
    import io

    out = tmp_path_factory.mktemp("model")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["--train", str(folders[0]), "--heldout", str(folders[1]),
                     "--out", str(out)]) == 0
    return out, printed.getvalue()


def test_training_writes_the_models_and_calibration_and_prints_held_out_figures(trained):
    out, printed = trained
    assert {p.name for p in out.iterdir()} == {RELATION_MODEL, MODALITY_MODEL, TYPE_MODEL,
                                               CALIBRATION}
    assert "held-out entity types:" in printed
    assert "held-out pairs:" in printed
    assert "held-out extraction (4 passages):" in printed
    assert "micro P=" in printed


def test_the_same_corpus_and_seed_give_the_same_model_files(folders, trained, tmp_path):
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        main(["--train", str(folders[0]), "--heldout", str(folders[1]), "--out",
              str(tmp_path)])
    for name in (RELATION_MODEL, MODALITY_MODEL, TYPE_MODEL, CALIBRATION):
        assert (tmp_path / name).read_bytes() == (trained[0] / name).read_bytes()


def test_extraction_reads_with_a_trained_model_folder(trained, settings):
    from graphkit.extract import Extractor
    from graphkit.model import Document

    extractor = Extractor(replace(settings, model_dir=trained[0]))
    [(_doc, found)] = list(extractor.extract([Document("d", "Ossan Movement fought Darva "
                                                            "Brigade near the border.")]))
    assert {(s.subject.label, s.predicate.value, s.object.label) for s in found} >= {
        ("Ossan Movement", "rivalOf", "Darva Brigade")}


def test_a_corpus_with_problems_is_refused(folders, tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    rows = corpus("x", GROUPS[:1])
    rows[0]["statements"][0]["p"] = "friendOf"
    (bad / "a.json").write_text(json.dumps(rows))
    assert main(["--train", str(bad), "--heldout", str(folders[1]),
                 "--out", str(tmp_path / "m")]) == 1
    assert "unknown relation 'friendOf'" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_a_passage_in_both_splits_is_refused(folders, tmp_path, capsys):
    assert main(["--train", str(folders[0]), "--heldout", str(folders[0]),
                 "--out", str(tmp_path / "m")]) == 1
    assert "is in both the training and the held-out split" in capsys.readouterr().err
