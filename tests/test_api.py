"""The Python API: graphkit.load / extract / build / open, as a user calls it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import graphkit
from graphkit.errors import QueryError, SourceError
from graphkit.model import Document

from .conftest import ROOT

HEADLINE = "The Real IRA split from the Provisional IRA in 1997."
SAHEL = ("The Sahel Liberation Front allied with the Desert Hawks Brigade in 2013. "
         "The River Battalion broke away from the Desert Hawks Brigade in 2015.")


def _ties(statements) -> list[tuple[str, str, str, int | None, str]]:
    return [(st.subject.label, st.predicate.value, st.object.label, st.year,
             st.modality.value) for st in statements]


def _python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120, cwd=ROOT).stdout


def test_importing_graphkit_loads_no_heavy_library():
    loaded = json.loads(_python(
        "import json, sys, graphkit\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'spacy', 'rdflib', 'networkx', 'pandas', 'pyoxigraph', 'click', 'numpy'})))"))
    assert loaded == []


def test_the_api_names_stay_functions_after_their_namesake_modules_are_imported():
    # graphkit.build and graphkit.extract are also subpackages; importing them (as any
    # build does) must not replace the functions.
    out = _python("import graphkit, graphkit.build, graphkit.extract.pipeline\n"
                  "from graphkit.build import BuildSummary\n"
                  "print(graphkit.build.__module__, graphkit.extract.__module__, "
                  "graphkit.open.__module__, BuildSummary.__module__)")
    assert out.split() == ["graphkit.api", "graphkit.api", "graphkit.api", "graphkit.build"]


def test_extract_reads_the_readme_headline_as_a_splinter_in_1997(extractor):
    assert _ties(graphkit.extract(HEADLINE, reader=extractor)) == [
        ("Real IRA", "splinterOf", "Provisional Irish Republican Army", 1997, "asserted")]


def test_extract_takes_texts_paths_and_documents_in_order(extractor, tmp_path):
    path = tmp_path / "sahel.txt"
    path.write_text(SAHEL, encoding="utf-8")
    found = list(graphkit.extract(
        [HEADLINE, path, Document("mine", "Hamas clashed with Fatah in 2007.")], reader=extractor))
    assert [(st.evidence.doc_id, st.predicate.value) for st in found] == [
        ("text-1", "splinterOf"), (str(path), "alliedWith"), (str(path), "splinterOf"),
        ("mine", "rivalOf")]


def test_extract_warns_of_a_file_it_cannot_read_and_reads_the_rest(extractor, tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 \x00\x01\x02")
    (tmp_path / "a.txt").write_text(HEADLINE, encoding="utf-8")
    with pytest.warns(UserWarning, match="skipped .*scan.pdf"):
        found = list(graphkit.extract(tmp_path, reader=extractor))
    assert [st.predicate.value for st in found] == ["splinterOf"]


def test_extract_refuses_what_is_neither_text_nor_path(extractor):
    with pytest.raises(TypeError, match="item 2 is a int"):
        list(graphkit.extract([HEADLINE, 42], reader=extractor))


def test_an_option_the_loaded_reader_was_not_loaded_with_is_refused(extractor):
    # min_confidence is applied by the reader: a silent mismatch would keep low ones
    with pytest.raises(ValueError, match=r"min_confidence 0.9 \(the reader has 0.0\)"):
        list(graphkit.extract(HEADLINE, reader=extractor, min_confidence=0.9))


def test_an_unknown_option_names_the_known_ones():
    with pytest.raises(TypeError, match="known: .*min_confidence"):
        list(graphkit.extract(HEADLINE, min_confidenc=0.5))


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory, extractor) -> Path:
    folder = tmp_path_factory.mktemp("api")
    (folder / "sahel.txt").write_text(SAHEL, encoding="utf-8")
    summary = graphkit.build(folder / "sahel.txt", folder / "kb", reader=extractor)
    assert (summary.documents, summary.statements) == (1, 2)
    return folder / "kb"


def test_open_answers_a_saved_query_with_bound_parameters(kb_dir):
    kb = graphkit.open(kb_dir)
    answer = kb.query("allies-of", group="sahel liberation front")
    assert [str(v) for v in answer.column("allyLabel")] == ["Desert Hawks Brigade"]
    assert "Desert Hawks Brigade" in str(answer)


def test_open_answers_sparql_text(kb_dir):
    answer = graphkit.open(kb_dir).query(
        "SELECT ?who WHERE { ?s gk:splinterOf ?o . ?s skos:prefLabel ?who }")
    assert [str(v) for v in answer.column("who")] == ["River Battalion"]
    with pytest.raises(KeyError, match="the query selects: who"):
        answer.column("nobody")


def test_a_mistyped_saved_query_name_lists_the_known_ones(kb_dir):
    with pytest.raises(QueryError, match="no saved query alies-of; known: "):
        graphkit.open(kb_dir).query("alies-of", group="x")


def test_open_refuses_a_folder_that_holds_no_graph_at_once(tmp_path):
    with pytest.raises(SourceError, match="not a build folder"):
        graphkit.open(tmp_path)


def test_to_networkx_has_the_three_groups_and_their_two_ties(kb_dir):
    G = graphkit.open(kb_dir).to_networkx()
    assert sorted(d["label"] for _, d in G.nodes(data=True)) == [
        "Desert Hawks Brigade", "River Battalion", "Sahel Liberation Front"]
    assert sorted(d["relation"] for *_e, d in G.edges(data=True)) == ["alliedWith",
                                                                     "splinterOf"]


def test_to_dataframe_has_one_row_per_statement(kb_dir):
    df = graphkit.open(kb_dir).to_dataframe()
    assert list(df["predicate"]) == ["alliedWith", "splinterOf"]
    assert list(df["year"]) == [2013, 2015]
    assert "sentence" in df.columns and "confidence" in df.columns


def test_to_dataframe_without_pandas_says_how_to_install_it(kb_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ImportError, match=r"pip install 'graphkit-kg\[pandas\]'"):
        graphkit.open(kb_dir).to_dataframe()
