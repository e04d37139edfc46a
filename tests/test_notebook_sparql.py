"""notebooks/02_sparql.ipynb runs from top to bottom with the project's interpreter."""

from __future__ import annotations

import json
import sys

import pytest

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "02_sparql.ipynb"


def test_sparql_notebook_executes_and_answers(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    # A kernel spec of our own makes the kernel this interpreter, whatever else is installed.
    spec = tmp_path / "kernels" / "graphkit-venv"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "graphkit", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="graphkit-venv",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = "".join(out.get("text", "") for cell in notebook.cells
                      if cell.cell_type == "code" for out in cell.get("outputs", []))
    assert "allied-and-rival: Sahel Liberation Front / Desert Hawks Brigade" in outputs
    assert "Desert Hawks Brigade" in outputs and "(1 row)" in outputs
