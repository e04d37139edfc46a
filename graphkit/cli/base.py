"""The ``graphkit`` command group and what every command shares: the run state, error
handling and common options. Commands live in sibling modules, one concern each; each
parses, calls one library function, and turns library errors into one-line messages.

Exit codes: 0 success; 1 an error stopped the run; 2 a usage error; 3 the run finished
but some inputs were skipped (each named in a warning on stderr).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from graphkit import __version__
from graphkit.errors import GraphkitError, InputWarning, Interrupted
from graphkit.settings import DEFAULT_MODEL, Settings

EXIT_SKIPPED = 3


class Run:
    """Per-invocation state shared by the commands: warnings and the debug flag."""

    def __init__(self, debug: bool, quiet: bool) -> None:
        self.debug = debug
        self.quiet = quiet
        self.skipped = 0

    def skip(self, where: str, reason: str) -> None:
        self.skipped += 1
        click.echo(f"warning: skipped {where}: {reason}", err=True)


@contextmanager
def _input_warnings_as_lines() -> Iterator[None]:
    """Each InputWarning (an input read with a byte replaced) becomes one 'warning: …'
    line on stderr, every time; other warnings are shown as Python shows them."""
    with warnings.catch_warnings():
        shown = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *args: Any,
                 **kwargs: Any) -> None:
            if issubclass(category, InputWarning):
                click.echo(f"warning: {message}", err=True)
            else:
                shown(message, category, *args, **kwargs)

        warnings.simplefilter("always", InputWarning)
        warnings.showwarning = show
        yield


@contextmanager
def reported_errors(run: Run) -> Iterator[None]:
    """Library errors become 'error: …' on stderr and exit status 1; input warnings
    become one line each."""
    try:
        with _input_warnings_as_lines():
            yield
    except GraphkitError as err:
        if run.debug:
            raise
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt as err:
        # Outputs are switched in whole (graphkit.build_folder): an interrupted run left
        # the earlier ones, unless the library says otherwise.
        click.echo(str(err) if isinstance(err, Interrupted) else
                   "interrupted; outputs from earlier runs are left as they were", err=True)
        sys.exit(130)


def settings_from(model: str, min_confidence: float, quiet: bool, patterns_only: bool = False,
                  relation_model: Path | None = None, **engine: Any) -> Settings:
    learned: dict[str, Any] = {"use_model": False, "entity_types": "off"} if patterns_only \
        else {"model_dir": relation_model}
    return Settings(model=model, min_confidence=min_confidence, progress=not quiet,
                    **learned, **engine)


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--workers, --engine, --scheduler: who reads the documents (graphkit.engines)."""
    func = click.option("--scheduler", metavar="ADDRESS",
                        help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                             "(with --engine dask; default: a LocalCluster of --workers).")(func)
    func = click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
                        show_default=True,
                        help="local: this machine; dask: Dask tasks on a cluster.")(func)
    func = click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
                        help="Processes reading in parallel (local engine) or LocalCluster "
                             "workers (dask engine without --scheduler).")(func)
    return func


def model_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--model", default=DEFAULT_MODEL, show_default=True,
                        help="Any installed spaCy English pipeline.")(func)
    func = click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0,
                        show_default=True, help="Drop statements below this confidence.")(func)
    func = click.option("--patterns-only", is_flag=True,
                        help="Read with the hand-written patterns alone: no relation model, "
                             "no learned entity layer.")(func)
    func = click.option("--relation-model", type=click.Path(path_type=Path, file_okay=False),
                        default=None, metavar="DIR",
                        help="Model files from `graphkit train --out DIR` instead of the "
                             "ones shipped with graphkit.")(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="graphkit")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@click.pass_context
def main(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """graphkit: reporting on militant groups in, a knowledge graph out."""
    ctx.obj = Run(debug, quiet)


def _set_flag(name: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        run = ctx.find_object(Run)
        if value and run is not None:
            setattr(run, name, True)
    return callback


def accept_global_flags(group: click.Group) -> None:
    """Let ``-q``/``--quiet`` and ``--debug`` also follow the subcommand.

    People type ``graphkit build seeds --out o -q``; click only knows a group's options
    before the subcommand name. The group's callback has made the Run before a
    subcommand parses its own options, so these flags just switch it on.
    """
    for command in group.commands.values():
        names = {opt for param in command.params for opt in getattr(param, "opts", [])}
        if "--debug" not in names:
            command.params.append(click.Option(
                ["--debug"], is_flag=True, expose_value=False, callback=_set_flag("debug"),
                help="Show tracebacks for errors (as graphkit --debug)."))
        if "-q" not in names and "--quiet" not in names:
            command.params.append(click.Option(
                ["-q", "--quiet"], is_flag=True, expose_value=False,
                callback=_set_flag("quiet"), help="No progress bar or summary "
                                                  "(as graphkit -q)."))
