"""Commands to explore a built graph: ``viz``, ``export`` and ``stats``.

SOURCE is a build folder (its graph.ttl, else its store/) or an RDF file.
"""

from __future__ import annotations

from pathlib import Path

import click

from graphkit.cli.base import Run, main, reported_errors

SOURCE = click.argument("source", type=click.Path(exists=True, path_type=Path))


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


@main.command()
@SOURCE
@click.option("--format", "fmt", type=click.Choice(["gexf", "graphml", "csv"]),
              default="gexf", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write (CSV: a folder for nodes.csv and edges.csv). "
                   "Default: graph.gexf / graph.graphml / the current folder.")
@click.option("--dynamic", is_flag=True,
              help="GEXF with spells (first to last year) for Gephi desktop's timeline; "
                   "Gephi Lite cannot read it.")
@click.pass_obj
def export(run: Run, source: Path, fmt: str, output: Path | None, dynamic: bool) -> None:
    """Export the network of SOURCE for Gephi, yEd/Cytoscape or pandas."""
    from graphkit.network import export as write_export
    from graphkit.network import read_network

    target = output or (Path(".") if fmt == "csv" else Path(f"graph.{fmt}"))
    with reported_errors(run):
        if dynamic and fmt != "gexf":
            raise click.UsageError("--dynamic applies to --format gexf only")
        write_export(read_network(source), target, fmt, dynamic=dynamic)
    if not run.quiet:
        click.echo(f"wrote {target}", err=True)


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
