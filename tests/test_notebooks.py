"""The notebooks run from top to bottom with the project's interpreter."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def execute(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the notebook in a kernel of this interpreter; return its printed text."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    # A kernel spec of our own makes the kernel this interpreter, whatever else is installed.
    spec = tmp_path / "kernels" / "graphkit-venv"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "graphkit", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    path = ROOT / "notebooks" / name
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="graphkit-venv",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return "".join(out.get("text", "") + json.dumps(out.get("data", {}))
                   for cell in notebook.cells if cell.cell_type == "code"
                   for out in cell.get("outputs", []))


def test_quickstart_builds_shows_the_view_and_answers_sparql(tmp_path, monkeypatch):
    text = execute("01_quickstart.ipynb", tmp_path, monkeypatch)
    assert "graph.html" in text and "graph.gexf" in text
    assert "iframe srcdoc" in text
    assert "relations)" in text and "alliedWith" in text


def test_network_analysis_reports_measures_and_exports(tmp_path, monkeypatch):
    text = execute("03_network_analysis.ipynb", tmp_path, monkeypatch)
    assert "Brokers (betweenness)" in text and "Alliance blocs" in text
    assert "Desert Hawks Brigade" in text and "bloc 0:" in text
    for name in ("network.gexf", "timeline.gexf", "network.graphml", "edges.csv"):
        assert name in text


def test_sparql_notebook_executes_and_answers(tmp_path, monkeypatch):
    text = execute("02_sparql.ipynb", tmp_path, monkeypatch)
    assert "allied-and-rival: Sahel Liberation Front / Desert Hawks Brigade" in text
    assert "Desert Hawks Brigade" in text and "(1 row)" in text
