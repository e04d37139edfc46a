"""Errors the library raises; the CLI turns each into a one-line message."""


class GraphkitError(Exception):
    """Base of every error graphkit reports to a user (no traceback needed)."""


class InputError(GraphkitError):
    """An input path or document cannot be read."""


class ModelNotFoundError(GraphkitError):
    """The spaCy pipeline named in the settings is not installed."""


class OutputError(GraphkitError):
    """An output location cannot be written."""


class QueryError(GraphkitError):
    """A SPARQL query or its source is unusable."""


class EngineError(GraphkitError):
    """Worker processes or a cluster could not run the extraction."""


class SourceError(InputError, QueryError):
    """A build folder or RDF file to read cannot be read (the same reader serves
    ``query``, ``viz``, ``stats``, ``export`` and ``validate``, so it is both kinds)."""


class BuildSettingsError(GraphkitError):
    """A build folder was built with other extraction settings than this run's."""


class InputWarning(UserWarning):
    """An input was read, but not exactly as written (an invalid byte replaced); the CLI
    prints each as one ``warning:`` line naming the file and the place."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C that came at a moment worth telling apart: its message says what the run
    left behind (the CLI prints it instead of the general "interrupted" line)."""
