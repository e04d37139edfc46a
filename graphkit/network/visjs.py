"""The vis-network library the HTML view embeds, from whichever pyvis is installed.

graphkit depends on the maintained fork ``pyvis-optimized``, which ships vis-network 10.
The original ``pyvis`` (0.3.x, which kglab and others require) installs into the same
``pyvis`` module folder and ships vis-network 9 under ``vis-9.*`` with other file names.
With both installed the folder holds both libraries: the newest usable one is taken, by
version number (not by name: "vis-9.1.2" sorts after "vis-10.1.2"). With the original
alone there is no vis-network 10, and :func:`view_library` says in one line what to
do, before a build writes anything.

>>> vis_version("vis-10.1.2"), vis_version("vis-9.1.2"), vis_version("tom-select")
((10, 1, 2), (9, 1, 2), None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import Distribution, distributions
from importlib.util import find_spec
from pathlib import Path

from graphkit.errors import OutputError

FORK = "pyvis-optimized"
# The oldest vis-network the view's script is written and tested against (the fork's).
MIN_VERSION = (10,)
_FOLDER = re.compile(r"^vis-(\d+(?:\.\d+)*)$")


@dataclass(frozen=True)
class VisNetwork:
    """One copy of vis-network inside the pyvis module folder."""

    version: tuple[int, ...]
    js: Path
    css: Path

    def read(self) -> tuple[str, str]:
        """(stylesheet, script)."""
        return self.css.read_text(encoding="utf-8"), self.js.read_text(encoding="utf-8")


def vis_version(name: str) -> tuple[int, ...] | None:
    """The version a library folder's name gives, or None for any other folder."""
    match = _FOLDER.match(name)
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def copies(lib: Path) -> list[VisNetwork]:
    """Every complete vis-network in ``lib``, oldest first (the fork names its stylesheet
    ``vis-network.min.css``, the original ``vis-network.css``)."""
    found = []
    for folder in lib.iterdir() if lib.is_dir() else []:
        version = vis_version(folder.name)
        js = folder.joinpath("vis-network.min.js")
        css = next((folder.joinpath(n) for n in ("vis-network.min.css", "vis-network.css")
                    if folder.joinpath(n).is_file()), None)
        if version is not None and js.is_file() and css is not None:
            found.append(VisNetwork(version, js, css))
    return sorted(found, key=lambda v: v.version)


def pyvis_owners(dists: Iterable[Distribution] | None = None) -> list[str]:
    """"name version" of every installed distribution that writes the ``pyvis`` module."""
    owners = []
    for dist in distributions() if dists is None else dists:
        if any(str(f) == "pyvis/__init__.py" for f in dist.files or ()):
            owners.append(f"{dist.metadata['Name']} {dist.version}")
    return sorted(set(owners))


def advice(owners: list[str], newest: tuple[int, ...] | None) -> str:
    """The one line saying why the view cannot be drawn and what to do."""
    have = " and ".join(owners) or "no pyvis"
    shipped = f"vis-network {'.'.join(map(str, newest))}" if newest else "no vis-network"
    need = ".".join(map(str, MIN_VERSION))
    return (f"the HTML view needs vis-network {need} or later, from {FORK}; installed: "
            f"{have}, with {shipped}. Fix: pip install --force-reinstall --no-deps {FORK}")


def view_library(lib: Path | None = None,
                 dists: Iterable[Distribution] | None = None) -> VisNetwork:
    """The newest usable vis-network in ``lib`` (default: the installed pyvis's), or
    OutputError with :func:`advice` naming the owners among ``dists`` (default: the
    installed distributions)."""
    lib = lib if lib is not None else _installed_lib()
    try:
        found = copies(lib) if lib is not None else []
    except OSError:
        found = []
    if found and found[-1].version >= MIN_VERSION:
        return found[-1]
    raise OutputError(advice(pyvis_owners(dists), found[-1].version if found else None))


def _installed_lib() -> Path | None:
    """pyvis's library folder, found without importing pyvis (which would load jinja2,
    IPython and the rest just to name a folder); None without pyvis."""
    spec = find_spec("pyvis")
    folders = list(spec.submodule_search_locations or []) if spec else []
    return Path(folders[0]) / "templates" / "lib" if folders else None
