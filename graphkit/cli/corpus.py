"""Commands over a whole corpus build: contradictions, remove, serve, validate."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Any

import click

from graphkit.cli.base import Run, main, reported_errors


@main.command()
@click.argument("source")
@click.option("--kind", type=click.Choice(["allied-and-rival", "asserted-and-negated",
                                           "splinter-and-affiliate"]),
              help="Only contradictions of this kind.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_obj
def contradictions(run: Run, source: str, kind: str | None, fmt: str) -> None:
    """List the contradictions in SOURCE with the evidence on each side.

    SOURCE is a build folder, an RDF file or a SPARQL endpoint URL. Lines starting with
    + are the claims, lines starting with - the counter-claims.
    """
    from dataclasses import asdict

    from graphkit.corpus.report import list_contradictions

    with reported_errors(run):
        found = list_contradictions(source, kind)
    if fmt == "json":
        click.echo(json.dumps([asdict(c) for c in found], ensure_ascii=False, indent=2))
        return
    for report in found:
        click.echo(report.render())
    if not run.quiet:
        click.echo(f"({len(found)} contradiction{'' if len(found) == 1 else 's'})")


@main.command()
@click.argument("documents", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="The build folder to take the documents out of.")
@click.option("--store", "store_url", metavar="URL",
              help="The SPARQL 1.1 server the build is kept in, if not the embedded store.")
@click.pass_obj
def remove(run: Run, documents: tuple[str, ...], out_dir: Path, store_url: str | None) -> None:
    """Take DOCUMENTS (document ids, as in statements.jsonl) out of the build in --out."""
    from graphkit.build import remove as remove_documents
    from graphkit.settings import Settings

    with reported_errors(run):
        summary = remove_documents(list(documents), out_dir, Settings(progress=False),
                                   store_url=store_url)
    if not run.quiet:
        click.echo(f"removed {summary.removed} document(s); the build now holds "
                   f"{summary.total_documents} documents, {summary.total_statements} statements")


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the graph.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--allow-updates", is_flag=True,
              help="Accept SPARQL Update (refused by default; LOAD is always refused).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=30.0, show_default=True,
              help="Seconds a query may run.")
@click.option("--max-rows", type=click.IntRange(1), default=100_000, show_default=True,
              help="Refuse results with more rows than this.")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Worker processes running queries (one when updates are allowed).")
@click.option("--max-memory", "memory_mb", type=click.IntRange(0), default=2048,
              show_default=True, metavar="MB",
              help="Address-space cap of each worker process; 0 for none.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (e.g. http://localhost:3000, or *) read "
                   "answers; repeatable. No CORS headers without it.")
@click.pass_obj
def serve(run: Run, source: Path, host: str, port: int, allow_updates: bool, timeout: float,
          max_rows: int, workers: int, memory_mb: int, cors: tuple[str, ...]) -> None:
    """Serve SOURCE as a SPARQL 1.1 endpoint at /sparql, with the HTML view at /.

    Queries run in worker processes that are killed past --timeout or --max-memory;
    SERVICE and LOAD are always refused, and requests must name a loopback Host (or
    --host). The log names the build served, at start and after each rebuild.
    """
    from graphkit.serve import LOOPBACK, ServeOptions, make_server

    options = ServeOptions(host, port, allow_updates, timeout, max_rows, workers, memory_mb,
                           cors=tuple(origin.rstrip("/") for origin in cors))
    with reported_errors(run):
        try:
            server = make_server(source, options, log=None if run.quiet else _log)
        except OSError as err:
            click.echo(f"error: cannot listen on {host}:{port}: {err.strerror or err}",
                       err=True)
            sys.exit(1)
    if host not in LOOPBACK:
        click.echo(f"warning: listening on {host}: anyone who can reach it can query the "
                   "graph", err=True)
    if not server.endpoint.isolated:
        click.echo("warning: the kernel refused the workers a network namespace; SERVICE "
                   "and LOAD are still refused by the parse check", err=True)
    bound_host, bound_port = str(server.server_address[0]), server.server_address[1]
    click.echo(f"SPARQL endpoint: http://{bound_host}:{bound_port}/sparql "
               f"({'updates allowed' if allow_updates else 'read-only'}); Ctrl-C stops",
               err=True)
    signal.signal(signal.SIGTERM, _interrupt)  # a plain kill also ends the workers cleanly
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def _log(message: str) -> None:
    click.echo(message, err=True)


@main.command()
@click.argument("source")
@click.pass_obj
def validate(run: Run, source: str) -> None:
    """Check SOURCE (build folder or RDF file) against the SHACL shapes; exit 1 on violations."""
    from graphkit.rdf.validate import validate_source

    with reported_errors(run):
        violations = validate_source(source)
    for violation in violations:
        click.echo(violation.render())
    if violations:
        click.echo(f"error: {len(violations)} SHACL violation(s) in {source}", err=True)
        sys.exit(1)
    if not run.quiet:
        click.echo(f"{source} conforms to the graphkit shapes")
