"""Commands to explore a built graph: ``viz``, ``export`` and ``stats``.

SOURCE is a build folder, an Oxigraph store folder or an RDF file, read as ``query``
reads it (a TriG file's named graphs merged). A source without one entity tie still
gets its (empty) output, with a warning and exit status 3: an empty view is almost
always the wrong source, and silence made it look like a finished export.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graphkit.cli.base import EXIT_SKIPPED, Run, main, reported_errors

if TYPE_CHECKING:
    import networkx as nx

SOURCE = click.argument("source", type=click.Path(exists=True, path_type=Path))


def _warn_if_empty(G: nx.MultiDiGraph, source: Path) -> bool:
    """Say so when ``source`` gave no network; True if it did."""
    if G.number_of_edges() and G.number_of_nodes():
        return False
    click.echo(f"warning: {source} gives an empty network ({G.number_of_nodes()} entities, "
               f"{G.number_of_edges()} ties): no graphkit statements in it?", err=True)
    return True


@main.command()
@SOURCE
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("graph.html"), show_default=True, help="HTML file to write.")
@click.option("--title", default=None, help="Page title (default: the source's name).")
@click.option("--physics/--no-physics", default=None,
              help="Live layout in the browser (default: on only for small graphs).")
@click.pass_obj
def viz(run: Run, source: Path, output: Path, title: str | None,
        physics: bool | None) -> None:
    """Write the interactive HTML view of SOURCE."""
    from graphkit.network import read_network, write_html

    with reported_errors(run):
        G = read_network(source)
        write_html(G, output, title=title or f"graphkit: {source.name}", physics=physics)
    if not run.quiet:
        click.echo(f"{output}: {G.number_of_nodes()} entities, {G.number_of_edges()} edges",
                   err=True)
    if _warn_if_empty(G, source):
        sys.exit(EXIT_SKIPPED)


@main.command()
@SOURCE
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "csv", "jsonld"]),
              default="gexf", show_default=True,
              help="jsonld: the whole RDF graph as JSON-LD, with graphkit's context.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write (CSV: a folder for nodes.csv and edges.csv). "
                   "Default: graph.gexf / graph.graphml / graph.jsonld / the current folder.")
@click.option("--dynamic", is_flag=True,
              help="GEXF with spells (first to last year) for Gephi desktop's timeline; "
                   "Gephi Lite cannot read it.")
@click.pass_obj
def export(run: Run, source: Path, fmt: str, output: Path | None, dynamic: bool) -> None:
    """Export the network of SOURCE for Gephi, yEd/Cytoscape or pandas, or its whole
    RDF graph as JSON-LD."""
    from graphkit.network import export as write_export
    from graphkit.network import read_network

    target = output or (Path(".") if fmt == "csv" else Path(f"graph.{fmt}"))
    with reported_errors(run):
        if dynamic and fmt != "gexf":
            raise click.UsageError("--dynamic applies to --format gexf only")
        if fmt == "jsonld":
            G = _export_jsonld(source, target)
        else:
            G = read_network(source)
            write_export(G, target, fmt, dynamic=dynamic)
    if not run.quiet:
        click.echo(f"wrote {target}", err=True)
    if _warn_if_empty(G, source):
        sys.exit(EXIT_SKIPPED)


def _export_jsonld(source: Path, target: Path) -> nx.MultiDiGraph:
    """Write the RDF graph of ``source`` as JSON-LD; its network, to say if it is empty."""
    from graphkit.network.build import to_networkx
    from graphkit.network.source import read_graph
    from graphkit.rdf.jsonld import write_jsonld

    graph = read_graph(source)
    write_jsonld(graph, target)
    return to_networkx(graph, analyse=False)


@main.command()
@SOURCE
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="Entities listed per ranking.")
@click.pass_obj
def stats(run: Run, source: Path, top: int) -> None:
    """Print degree, brokers, eigenvector centrality, alliance blocs and bridges."""
    from graphkit.network import analyse, read_network, report

    with reported_errors(run):
        G = read_network(source, analyse=False)
        click.echo(report(G, analyse(G), top=top))
    if _warn_if_empty(G, source):
        sys.exit(EXIT_SKIPPED)
