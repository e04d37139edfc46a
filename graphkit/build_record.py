"""What a build folder records about how it was built: ``build.json``.

Two things the graph itself cannot say:

- the settings that decide which statements a document yields (spaCy model, minimum
  confidence, how relations and entity types are read). Adding documents with other
  settings would mix two kinds of statement in one graph without a trace, so a build
  with different settings is refused, naming the difference, unless ``--rebuild``
  starts the folder afresh;
- where each document was read (its resolved path, see ``Document.origin``), so the same
  file given once as ``seeds`` and once as ``/abs/seeds`` is one document, not two.

The file is local bookkeeping, not part of the published graph: it holds absolute paths
of this machine, which graph.ttl and graph.trig never carry.

>>> import tempfile, pathlib
>>> from graphkit.settings import Settings
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> BuildRecord(settings_record(Settings()), {"a.txt": "/data/a.txt"}).save(out)
>>> BuildRecord.load(out).origins
{'a.txt': '/data/a.txt'}
>>> check_settings(BuildRecord.load(out), Settings(min_confidence=0.5), out)
Traceback (most recent call last):
...
graphkit.errors.BuildSettingsError: ... was built with --min-confidence 0.0, not 0.5: ...
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit import __version__
from graphkit.errors import BuildSettingsError, InputError, OutputError
from graphkit.fileio import atomic_write
from graphkit.settings import Settings

RECORD_FILE = "build.json"

# Recorded setting -> how a person sets it, for the refusal message.
_FLAGS = {"model": "--model", "min_confidence": "--min-confidence", "reading": "reading",
          "model_threshold": "model_threshold", "gazetteer": "gazetteer"}


def settings_record(settings: Settings) -> dict[str, Any]:
    """The settings that change which statements are extracted (not workers, engine,
    batch size or progress, which change only how fast).

    The shipped gazetteer and relation model are recorded as "shipped", not by path:
    the same graphkit installed in another place reads the same way.
    """
    if not settings.use_model:
        reading = "--patterns-only" if settings.entity_types == "off" else (
            f"patterns with entity types {settings.entity_types}")
    else:
        reading = (f"--relation-model {Path(settings.model_dir).resolve().as_posix()}"
                   if settings.model_dir else "the shipped relation model")
        if settings.entity_types != "model":
            reading += f", entity types {settings.entity_types}"
    gazetteer = Path(settings.gazetteer).resolve()
    return {"model": settings.model, "min_confidence": float(settings.min_confidence),
            "reading": reading, "model_threshold": float(settings.model_threshold),
            "gazetteer": "shipped" if gazetteer == Path(Settings().gazetteer).resolve()
            else gazetteer.as_posix()}


@dataclass
class BuildRecord:
    """``build.json``: the build's settings and each document's origin, by document id."""

    settings: dict[str, Any]
    origins: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> BuildRecord | None:
        """The record in ``out_dir``, or None for a folder without one (a new folder, or
        a build from before graphkit kept records)."""
        path = Path(out_dir) / RECORD_FILE
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(dict(data["settings"]), {str(k): str(v) for k, v in
                                                data.get("documents", {}).items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise InputError(f"cannot read {path}: {' '.join(str(err).split())}; "
                             "give --rebuild to start the build folder afresh") from None

    def save(self, out_dir: Path) -> None:
        path = Path(out_dir) / RECORD_FILE
        data = {"graphkit": __version__, "settings": self.settings,
                "documents": dict(sorted(self.origins.items()))}
        try:
            with atomic_write(path) as fh:
                fh.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        except OSError as err:
            raise OutputError(f"cannot write {path}: {err.strerror or err}") from None


def check_settings(record: BuildRecord | None, settings: Settings, out_dir: Path) -> None:
    """Refuse, in one line, to add to a build made with other extraction settings."""
    if record is None:
        return
    wanted = settings_record(settings)
    differences = [f"{_FLAGS.get(key, key)} {_show(record.settings.get(key))}, "
                   f"not {_show(value)}"
                   for key, value in wanted.items() if record.settings.get(key) != value]
    if differences:
        raise BuildSettingsError(
            f"{out_dir} was built with {'; '.join(differences)}: give --rebuild to start "
            "the build folder afresh, or the settings it was built with to add to it")


def _show(value: Any) -> str:
    return "(unrecorded)" if value is None else str(value)
