"""A build folder is replaced whole: every output of one build switches in by one rename.

The outputs of a build (graph.ttl, the store, statements.jsonl, ...) live together in a
folder of their own under ``.builds/``; ``.current`` is a symbolic link to the one in use,
and each output's usual name in the build folder is a link through it
(``graph.ttl -> .current/graph.ttl``). A build writes its outputs into a new folder beside
the one in use and then replaces ``.current`` with one atomic rename, so whoever reads
the folder (``graphkit query``, ``graphkit serve``, the next incremental build) sees the
old build or the new one, never a mix; a run killed or out of disk space before the
rename leaves the old build as it was, and the folder it was writing is removed when the
folder is next locked.

A folder written before this layout (outputs as plain files) is moved into it first, by
renames that keep every name pointing at the old build's content.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> prepare(out)
>>> new = stage(out)
>>> _ = (new / "graph.ttl").write_text("the new graph")
>>> switch(out, new)
>>> tidy(out)
>>> (out / "graph.ttl").read_text(), (out / "graph.ttl").is_symlink()
('the new graph', True)
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from pathlib import Path

from graphkit.errors import OutputError
from graphkit.fileio import sync_folder

BUILDS = ".builds"
CURRENT = ".current"
# Every name a build writes; each is a link to the same name in the current build.
OUTPUTS = ("build.json", "graph.ttl", "store", "graph.trig", "statements.jsonl",
           "graph.gexf", "graph.html")
# Folders older graphkit versions left beside the store when killed mid-rename.
_OLD_LEFTOVERS = ("store.tmp", "store.old")
_LEGACY = "0-legacy"


def prepare(out_dir: Path) -> None:
    """Bring a locked build folder into the layout: move a legacy build into it, restore
    missing links, and remove the half-written folders of interrupted builds."""
    out_dir = Path(out_dir)
    try:
        _adopt_legacy(out_dir)
        if (out_dir / CURRENT).is_symlink():
            _link_outputs(out_dir)
        _remove_unused(out_dir)
    except OSError as err:
        raise OutputError(f"cannot prepare the build folder {out_dir}: "
                          f"{err.strerror or err}") from None


def stage(out_dir: Path) -> Path:
    """A new, empty folder for the next build's outputs, beside the current one."""
    name = f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    folder = Path(out_dir) / BUILDS / name
    try:
        folder.mkdir(parents=True)
    except OSError as err:
        raise OutputError(f"cannot write the build to {out_dir}: {err.strerror or err}") from None
    return folder


def switch(out_dir: Path, staged: Path) -> None:
    """Make ``staged`` the current build with one rename (then call :func:`tidy`)."""
    out_dir = Path(out_dir)
    link = out_dir / f".current.{secrets.token_hex(4)}.link"
    try:
        sync_folder(staged)
        os.symlink(Path(BUILDS) / staged.name, link)
        os.replace(link, out_dir / CURRENT)
        sync_folder(out_dir)
    except OSError as err:
        link.unlink(missing_ok=True)
        raise OutputError(f"cannot switch the build in {out_dir}: {err.strerror or err}") \
            from None


def tidy(out_dir: Path) -> None:
    """After a switch: the links every output's name needs, and the replaced build gone.
    The new build is in place already, so a failure here harms nothing."""
    try:
        _link_outputs(Path(out_dir))
        _remove_unused(Path(out_dir))
    except OSError:
        pass


def discard(staged: Path) -> None:
    """Remove a build folder that was not switched in."""
    shutil.rmtree(staged, ignore_errors=True)


def current(out_dir: Path) -> Path | None:
    """The folder of the build in use, if there is one."""
    link = Path(out_dir) / CURRENT
    return link.resolve() if link.is_symlink() else None


def _adopt_legacy(out_dir: Path) -> None:
    """Outputs kept as plain files move into ``.builds/0-legacy``, one rename each: every
    name stays the old build's (a file, or a link to the moved file) at every moment."""
    plain = [name for name in OUTPUTS
             if (out_dir / name).exists() and not (out_dir / name).is_symlink()]
    if not plain:
        return
    legacy = out_dir / BUILDS / _LEGACY
    legacy.mkdir(parents=True, exist_ok=True)
    if not (out_dir / CURRENT).is_symlink():
        tmp = out_dir / f".current.{secrets.token_hex(4)}.link"
        os.symlink(Path(BUILDS) / _LEGACY, tmp)
        os.replace(tmp, out_dir / CURRENT)
    for name in plain:
        os.replace(out_dir / name, legacy / name)
        _link(out_dir, name)
    sync_folder(out_dir)


def _link_outputs(out_dir: Path) -> None:
    """A link for each output the current build has; none for one it lacks (no store
    for a build kept in a SPARQL server)."""
    for name in OUTPUTS:
        target = out_dir / name
        if not (out_dir / CURRENT / name).exists():
            if target.is_symlink():
                target.unlink()
        elif not target.is_symlink() and not target.exists():
            _link(out_dir, name)


def _link(out_dir: Path, name: str) -> None:
    tmp = out_dir / f".{name}.{secrets.token_hex(4)}.link"
    os.symlink(Path(CURRENT) / name, tmp)
    os.replace(tmp, out_dir / name)


def _remove_unused(out_dir: Path) -> None:
    """Every build folder but the current one, links of killed switches, old leftovers."""
    in_use = current(out_dir)
    builds = out_dir / BUILDS
    for folder in sorted(builds.iterdir()) if builds.is_dir() else []:
        if folder.resolve() != in_use:
            shutil.rmtree(folder, ignore_errors=True)
    for entry in out_dir.iterdir():
        if entry.name.endswith(".link") and entry.name.startswith(".") and entry.is_symlink():
            entry.unlink(missing_ok=True)
    for name in _OLD_LEFTOVERS:
        shutil.rmtree(out_dir / name, ignore_errors=True)
