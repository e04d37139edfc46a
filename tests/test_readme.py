"""The README's quick start, query example and Python API, run as written on the sample
article (as `make demo` builds it), with the answers the README states."""

from __future__ import annotations

import doctest
import json
import os
import re
import shlex
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphkit.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
HEADLINE = "The Real IRA split from the Provisional IRA in 1997."


def _section(title: str) -> str:
    return README.split(f"\n{title}\n", 1)[1].split("\n## ", 1)[0]


def _sh_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def _commands(block: str) -> list[list[str]]:
    """Each `graphkit ...` command of a shell block, comments dropped."""
    words = shlex.split(block, comments=True)
    commands: list[list[str]] = []
    for word in words:
        if word == "graphkit":
            commands.append([])
        elif commands:
            commands[-1].append(word)
    return commands


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def _graphkit(args: list[str]) -> Result:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, f"graphkit {shlex.join(args)}: {result.output}"
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A checkout's folder after `make demo`: seeds/ and the out/ its recipe builds."""
    folder = tmp_path_factory.mktemp("checkout")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe is not None
    builds = [line.split("/bin/graphkit ", 1)[1] for line in recipe.group(1).splitlines()
              if "/bin/graphkit " in line]
    assert builds == ["build seeds --out out"]
    with _inside(folder):
        _graphkit(["-q", *shlex.split(builds[0])])
    return folder


def test_the_quick_start_query_gives_the_answer_the_readme_states(demo):
    quick_start = _section("## Quick start")
    assert "The sample article's answer is one ally, al-Qaeda" in quick_start
    block = next(b for b in _sh_blocks(quick_start) if "source .venv/bin/activate" in b)
    commands = _commands(block)
    assert commands == [["query", "out", "allies-of", "--param", "group=Taliban"]]
    with _inside(demo):
        table = _graphkit(commands[0]).output.splitlines()
        as_json = json.loads(_graphkit([*commands[0], "--format", "json"]).output)
    assert table[-1] == "(1 row)"
    allies = [row["allyLabel"]["value"] for row in as_json["results"]["bindings"]]
    assert allies == ["al-Qaeda"]


def test_the_querying_example_finds_al_qaeda_with_its_evidence(demo):
    commands = _commands(_sh_blocks(_section("### Querying"))[0])
    assert len(commands) == 1 and commands[0][:2] == ["query", "out"]
    with _inside(demo):
        result = json.loads(_graphkit([*commands[0], "--format", "json"]).output)
    rows = result["results"]["bindings"]
    assert rows and {row["ally"]["value"] for row in rows} == {"al-Qaeda"}
    # every quote is a sentence of the article that asserts the alliance
    article = next((demo / "seeds").iterdir()).read_text(encoding="utf-8")
    assert all(row["sentence"]["value"] in article for row in rows)


def test_the_headline_example_is_read_as_a_splinter_in_1997(tmp_path):
    assert "Real IRA –splinterOf→ Provisional IRA" in README
    (tmp_path / "headline.txt").write_text(HEADLINE + "\n", encoding="utf-8")
    result = _graphkit(["extract", str(tmp_path / "headline.txt")])
    found = [json.loads(line) for line in result.output.splitlines()]
    assert [(st["subject"], st["predicate"], st["object"], st["year"], st["modality"])
            for st in found] == [("Real IRA", "splinterOf", "Provisional Irish Republican Army",
                                  1997, "asserted")]


def test_the_python_api_section_runs_as_written(demo):
    section = _section("## Python API")
    assert section.count(">>> ") >= 10
    with _inside(demo):
        parser = doctest.DocTestParser()
        test = parser.get_doctest(section, {}, "README.md#python-api", "README.md", 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test, out=lambda text: pytest.fail(text))
    assert runner.failures == 0 and runner.tries >= 10
    assert (demo / "kb.jsonld").is_file()
