"""The ``graphkit`` command. Each command parses, calls one library function, and turns
library errors into one-line messages.

Exit codes: 0 success; 1 an error stopped the run; 2 a usage error; 3 the run finished
but some inputs were skipped (each named in a warning on stderr).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from graphkit import __version__
from graphkit.errors import GraphkitError
from graphkit.settings import DEFAULT_MODEL, Settings

EXIT_SKIPPED = 3


class _Run:
    """Per-invocation state shared by the commands: warnings and the debug flag."""

    def __init__(self, debug: bool, quiet: bool) -> None:
        self.debug = debug
        self.quiet = quiet
        self.skipped = 0

    def skip(self, where: str, reason: str) -> None:
        self.skipped += 1
        click.echo(f"warning: skipped {where}: {reason}", err=True)


@contextmanager
def _errors(run: _Run) -> Iterator[None]:
    """Library errors become 'error: …' on stderr and exit status 1."""
    try:
        yield
    except GraphkitError as err:
        if run.debug:
            raise
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted; outputs from earlier runs are left as they were", err=True)
        sys.exit(130)


def _settings(model: str, min_confidence: float, quiet: bool) -> Settings:
    return Settings(model=model, min_confidence=min_confidence, progress=not quiet)


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--model", default=DEFAULT_MODEL, show_default=True,
                        help="Any installed spaCy English pipeline.")(func)
    func = click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0,
                        show_default=True, help="Drop statements below this confidence.")(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphkit")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@click.pass_context
def main(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """graphkit: reporting on militant groups in, a knowledge graph out."""
    ctx.obj = _Run(debug, quiet)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Build folder for graph.ttl, statements.jsonl, graph.html, graph.gexf.")
@_common
@click.pass_obj
def build(run: _Run, inputs: tuple[str, ...], out_dir: Path, model: str,
          min_confidence: float) -> None:
    """Build the knowledge graph of INPUTS (files or folders) into --out."""
    from graphkit.build import build as run_build
    from graphkit.ingest import estimate_documents

    settings = _settings(model, min_confidence, run.quiet)
    with _errors(run):
        total = estimate_documents(inputs) if not run.quiet else 0
        with _progress(run, total) as advance:
            summary = run_build(inputs, out_dir, settings, on_skip=run.skip,
                                on_document=advance)
    if not run.quiet:
        _print_summary(summary)
    if run.skipped:
        sys.exit(EXIT_SKIPPED)


@contextmanager
def _progress(run: _Run, total: int) -> Iterator[Callable[[Any, int], None]]:
    if run.quiet or total == 0 or not sys.stderr.isatty():
        # A bar drawn into a log file or pipe is noise; the summary still says what ran.
        yield lambda doc, n: None
        return
    with click.progressbar(length=total, label="reading", file=sys.stderr,
                           show_pos=True) as bar:
        yield lambda doc, n: bar.update(1)


def _print_summary(summary: Any) -> None:
    echo = click.echo
    echo(f"documents: {summary.documents}"
         + (f" ({summary.skipped} skipped)" if summary.skipped else ""))
    echo(f"entities: {summary.entities}")
    echo(f"statements: {summary.statements}")
    for relation, count in sorted(summary.by_relation.items()):
        echo(f"  {relation:16} {count}")
    echo("by modality: " + ", ".join(f"{m} {c}" for m, c in sorted(summary.by_modality.items())))
    echo("wrote:")
    how = {"graph": "RDF (Turtle): graphkit query DIR '...' or any RDF tool",
           "store": "embedded Oxigraph store: graphkit query DIR '...'",
           "statements": "one statement per line (JSON)",
           "html": "open in a browser (works offline)",
           "gexf": "open in Gephi or Gephi Lite"}
    for key, path in summary.outputs.items():
        echo(f"  {path}  ({how.get(key, key)})")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "tsv"]), default="jsonl",
              show_default=True)
@_common
@click.pass_obj
def extract(run: _Run, inputs: tuple[str, ...], fmt: str, model: str,
            min_confidence: float) -> None:
    """Print the statements of INPUTS on stdout, one per line."""
    from graphkit.build import extract_statements

    settings = _settings(model, min_confidence, run.quiet)
    columns = ["doc", "subject", "predicate", "object", "modality", "confidence", "year",
               "sentence"]
    with _errors(run):
        if fmt == "tsv":
            click.echo("\t".join(columns))
        for _doc, statements in extract_statements(inputs, settings, on_skip=run.skip):
            for st in statements:
                row = st.to_json()
                if fmt == "jsonl":
                    click.echo(json.dumps(row, ensure_ascii=False))
                else:
                    click.echo("\t".join(_tsv_cell(row[c]) for c in columns))
    if run.skipped:
        sys.exit(EXIT_SKIPPED)


def _tsv_cell(value: Any) -> str:
    return "" if value is None else str(value).replace("\t", " ").replace("\n", " ")


@main.command()
@click.argument("source")
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True)
@click.pass_obj
def query(run: _Run, source: str, query: str, fmt: str) -> None:
    """Run a SPARQL QUERY (text or a .rq file) against SOURCE (build folder or RDF file)."""
    from graphkit.rdf import format_result, run_query

    with _errors(run):
        result = run_query(source, query)
        click.echo(format_result(result, fmt), nl=False)


@main.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--misses", is_flag=True, help="List each missed and wrong statement.")
@_common
@click.pass_obj
def eval_command(run: _Run, gold: Path, misses: bool, model: str, min_confidence: float) -> None:
    """Score extraction on an annotated corpus GOLD.json (per relation P/R/F1)."""
    from graphkit.evaluate import evaluate

    with _errors(run):
        report = evaluate(gold, _settings(model, min_confidence, True))
    click.echo(report.render(misses=misses), nl=False)
