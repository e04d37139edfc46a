"""Commands that read documents and answer queries: build, extract, query, eval."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from graphkit.cli.base import (
    EXIT_SKIPPED,
    Run,
    engine_options,
    main,
    model_options,
    reported_errors,
    settings_from,
)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Build folder for graph.ttl, statements.jsonl, graph.html, graph.gexf.")
@click.option("--store", "store_url", metavar="URL",
              help="Write the graph to this SPARQL 1.1 server (Graph Store Protocol URL, or "
                   "an endpoint ending in /update) instead of the embedded store.")
@click.option("--rebuild", is_flag=True,
              help="Start the --out folder afresh with INPUTS alone, instead of adding to "
                   "the build there (needed to change --model, --min-confidence, ...).")
@model_options
@engine_options
@click.pass_obj
def build(run: Run, inputs: tuple[str, ...], out_dir: Path, model: str,
          min_confidence: float, store_url: str | None, rebuild: bool, **engine: Any) -> None:
    """Build the knowledge graph of INPUTS (files or folders) into --out.

    An --out folder that already holds a build is added to: documents already there
    with the same text (however their path is typed) are skipped, changed ones
    replaced. It must be added to with the settings it was built with; --rebuild starts
    it afresh.
    """
    from graphkit.build import build as run_build

    settings = settings_from(model, min_confidence, run.quiet, **_engine(engine))
    with reported_errors(run), _progress(run, _estimate(run, inputs)) as advance:
        summary = run_build(inputs, out_dir, settings, on_skip=run.skip,
                            on_document=advance, store_url=store_url, rebuild=rebuild)
    if not run.quiet:
        _print_summary(summary)
    if run.skipped:
        sys.exit(EXIT_SKIPPED)


def _engine(options: dict[str, Any]) -> dict[str, Any]:
    if options.get("scheduler") and options.get("engine") != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    return options


def _estimate(run: Run, inputs: tuple[str, ...]) -> int:
    """Documents to expect, for the progress bar (none is drawn when quiet or piped)."""
    if run.quiet or not sys.stderr.isatty():
        return 0
    from graphkit.ingest import estimate_documents

    return estimate_documents(inputs)


@contextmanager
def _progress(run: Run, total: int) -> Iterator[Callable[[Any, int], None]]:
    if run.quiet or total == 0 or not sys.stderr.isatty():
        # A bar drawn into a log file or pipe is noise; the summary still says what ran.
        yield lambda doc, n: None
        return
    from graphkit.cli.progress import Eta

    eta = Eta(total)
    # click's own ETA counts the pipeline's load as reading time (see progress.py).
    with click.progressbar(length=total, label="reading", file=sys.stderr, show_pos=True,
                           show_eta=False, item_show_func=lambda text: text) as bar:
        yield lambda doc, n: bar.update(1, eta.advance())


def _print_summary(summary: Any) -> None:
    echo = click.echo
    echo(f"documents: {summary.documents}"
         + (f" ({summary.skipped} skipped)" if summary.skipped else ""))
    if summary.unchanged or summary.replaced:
        echo(f"already in the build: {summary.unchanged} unchanged (skipped), "
             f"{summary.replaced} replaced; the build now holds {summary.total_documents} "
             f"documents, {summary.total_statements} statements")
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
           "gexf": "open in Gephi or Gephi Lite",
           "trig": "TriG, one named graph per document"}
    for key, path in summary.outputs.items():
        echo(f"  {path}  ({how.get(key, key)})")
    if summary.store_url:
        echo(f"  {summary.store_url}  (SPARQL store: graphkit query URL '...')")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "tsv"]), default="jsonl",
              show_default=True)
@model_options
@engine_options
@click.pass_obj
def extract(run: Run, inputs: tuple[str, ...], fmt: str, model: str,
            min_confidence: float, **engine: Any) -> None:
    """Print the statements of INPUTS on stdout, one per line.

    A long document's statements are printed segment by segment as they are read (with
    a line on stderr saying how far it is read), so a stopped run keeps what it printed.
    """
    from graphkit.build import extract_parts

    settings = settings_from(model, min_confidence, run.quiet, **_engine(engine))
    columns = ["doc", "subject", "predicate", "object", "modality", "confidence", "year",
               "sentence"]
    with reported_errors(run), _progress(run, _estimate(run, inputs)) as advance:
        if fmt == "tsv":
            click.echo("\t".join(columns))
        whole_document = True  # the next part starts a document
        for part in extract_parts(inputs, settings, on_skip=run.skip,
                                  own_outputs=output_descriptors()):
            for st in part.statements:
                row = st.to_json()
                if fmt == "jsonl":
                    click.echo(json.dumps(row, ensure_ascii=False))
                else:
                    click.echo("\t".join(_tsv_cell(row[c]) for c in columns))
            sys.stdout.flush()
            if not (whole_document and part.last) and not run.quiet:
                size = len(part.document.text)
                click.echo(f"{part.document.id}: {part.end:,} of {size:,} characters read",
                           err=True)
            whole_document = part.last
            if part.last:
                advance(part.document, 0)
    if run.skipped:
        sys.exit(EXIT_SKIPPED)


def output_descriptors() -> tuple[int, ...]:
    """This process's stdout and stderr, when they are real files (not a test's buffers)."""
    import io

    fds = []
    for stream in (sys.stdout, sys.stderr):
        try:
            fds.append(stream.fileno())
        except (AttributeError, ValueError, io.UnsupportedOperation):
            continue
    return tuple(fds)


def _tsv_cell(value: Any) -> str:
    return "" if value is None else str(value).replace("\t", " ").replace("\n", " ")


@main.command()
@click.argument("source", required=False)
@click.argument("query", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True)
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and exit.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A saved query's parameter, e.g. --param group=Taliban (repeatable).")
@click.pass_obj
def query(run: Run, source: str | None, query: str | None, fmt: str, list_saved: bool,
          params: tuple[str, ...]) -> None:
    """Run a SPARQL QUERY against SOURCE.

    QUERY is SPARQL text, a .rq file or the name of a saved query (see --list). SOURCE is
    a build folder, an RDF file or the http(s) URL of a SPARQL endpoint.
    """
    from graphkit.rdf import format_result, run_query
    from graphkit.rdf.saved import parse_params, require_saved_query, saved_queries

    if list_saved:
        for entry in saved_queries():
            usage = f"  --param {' --param '.join(p.name + '=...' for p in entry.parameters)}"
            click.echo(f"{entry.name}: {entry.description}"
                       + (usage if entry.parameters else ""))
        return
    if source is None or query is None:
        raise click.UsageError("give SOURCE and QUERY, or --list")
    with reported_errors(run):
        values = parse_params(params)
        saved = require_saved_query(query)
        if saved is not None:
            text = saved.bind(values)
        elif values:
            from graphkit.rdf.query import read_query
            from graphkit.rdf.saved import bind_parameters

            text = bind_parameters(read_query(query), values)
        else:
            text = query
        result = run_query(source, text)
        click.echo(format_result(result, fmt), nl=False)


@main.command("eval")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--misses", is_flag=True, help="List each missed and wrong statement.")
@model_options
@click.pass_obj
def eval_command(run: Run, corpora: tuple[Path, ...], misses: bool, model: str,
                 min_confidence: float, **learned: Any) -> None:
    """Score extraction on annotated CORPORA (each a JSON file or a folder of them).

    Each corpus gets its per-relation table; with several, a closing table sets their
    micro P/R/F1 side by side.
    """
    from graphkit.evaluate import evaluate, side_by_side

    settings = settings_from(model, min_confidence, True, **learned)
    reports = []
    with reported_errors(run):
        for corpus in corpora:
            reports.append((str(corpus), evaluate(corpus, settings)))
    for name, report in reports:
        if len(reports) > 1:
            click.echo(f"== {name}")
        click.echo(report.render(misses=misses), nl=False)
    if len(reports) > 1:
        click.echo(side_by_side(reports), nl=False)
