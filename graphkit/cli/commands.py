"""Commands that read documents and answer queries: build, extract, query, eval."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from graphkit.cli.base import EXIT_SKIPPED, Run, main, model_options, reported_errors, settings_from


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Build folder for graph.ttl, statements.jsonl, graph.html, graph.gexf.")
@model_options
@click.pass_obj
def build(run: Run, inputs: tuple[str, ...], out_dir: Path, model: str,
          min_confidence: float) -> None:
    """Build the knowledge graph of INPUTS (files or folders) into --out."""
    from graphkit.build import build as run_build
    from graphkit.ingest import estimate_documents

    settings = settings_from(model, min_confidence, run.quiet)
    with reported_errors(run):
        total = estimate_documents(inputs) if not run.quiet else 0
        with _progress(run, total) as advance:
            summary = run_build(inputs, out_dir, settings, on_skip=run.skip,
                                on_document=advance)
    if not run.quiet:
        _print_summary(summary)
    if run.skipped:
        sys.exit(EXIT_SKIPPED)


@contextmanager
def _progress(run: Run, total: int) -> Iterator[Callable[[Any, int], None]]:
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
@model_options
@click.pass_obj
def extract(run: Run, inputs: tuple[str, ...], fmt: str, model: str,
            min_confidence: float) -> None:
    """Print the statements of INPUTS on stdout, one per line."""
    from graphkit.build import extract_statements

    settings = settings_from(model, min_confidence, run.quiet)
    columns = ["doc", "subject", "predicate", "object", "modality", "confidence", "year",
               "sentence"]
    with reported_errors(run):
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
def query(run: Run, source: str, query: str, fmt: str) -> None:
    """Run a SPARQL QUERY (text or a .rq file) against SOURCE (build folder or RDF file)."""
    from graphkit.rdf import format_result, run_query

    with reported_errors(run):
        result = run_query(source, query)
        click.echo(format_result(result, fmt), nl=False)


@main.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--misses", is_flag=True, help="List each missed and wrong statement.")
@model_options
@click.pass_obj
def eval_command(run: Run, gold: Path, misses: bool, model: str, min_confidence: float) -> None:
    """Score extraction on an annotated corpus GOLD.json (per relation P/R/F1)."""
    from graphkit.evaluate import evaluate

    with reported_errors(run):
        report = evaluate(gold, settings_from(model, min_confidence, True))
    click.echo(report.render(misses=misses), nl=False)
