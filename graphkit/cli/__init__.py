"""The ``graphkit`` command line.

Exit codes: 0 success; 1 an error stopped the run; 2 a usage error; 3 the run finished
but some inputs were skipped (each named in a warning on stderr).

Each module below registers its commands on :data:`main`; to add a command, add a
module and import it here.
"""

from graphkit.cli import (
    commands,  # noqa: F401  (registers build, extract, query, eval)
    corpus,  # noqa: F401  (registers contradictions, remove, serve, validate)
    explore,  # noqa: F401  (registers viz, export, stats)
)
from graphkit.cli.base import EXIT_SKIPPED, accept_global_flags, main

accept_global_flags(main)  # after every module has registered its commands

__all__ = ["EXIT_SKIPPED", "main"]
