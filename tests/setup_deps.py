"""Install what the output tests drive, when it is missing: a headless browser and the
GEXF parser Gephi Lite uses. Idempotent and quiet; run by ``make test-deps``.

- ``chromium`` (Debian package) renders the HTML view. Installed with apt-get only when
  it is not on PATH and we run as root; otherwise a note says what to install.
- ``graphology`` + ``graphology-gexf`` (npm, versions pinned in tests/js/package.json,
  no lock file) parse the GEXF export the way Gephi Lite does; installed into
  tests/js/node_modules.

The tests skip, naming the missing tool, when either could not be installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

JS_DIR = Path(__file__).resolve().parent / "js"


def note(message: str) -> None:
    print(f"setup_deps: {message}", file=sys.stderr)


def run_quiet(cmd: list[str], env: dict[str, str] | None = None) -> bool:
    """Run ``cmd`` showing output only when it fails."""
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        note(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
        return False
    return True


def ensure_chromium() -> None:
    if shutil.which("chromium"):
        return
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        note("chromium is not on PATH; install it (Debian: apt-get install chromium) "
             "or the browser tests will be skipped")
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if run_quiet(["apt-get", "update", "-qq"], env) and run_quiet(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"], env
    ):
        note("installed chromium")


def npm_wanted() -> dict[str, str]:
    manifest = json.loads((JS_DIR / "package.json").read_text(encoding="utf-8"))
    return dict(manifest["dependencies"])


def npm_installed(name: str) -> str | None:
    meta = JS_DIR / "node_modules" / name / "package.json"
    if not meta.is_file():
        return None
    return str(json.loads(meta.read_text(encoding="utf-8")).get("version"))


def ensure_npm_packages() -> None:
    wanted = npm_wanted()
    if all(npm_installed(name) == version for name, version in wanted.items()):
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        note("node/npm not on PATH; the graphology-gexf test will be skipped")
        return
    cmd = [npm, "install", "--prefix", str(JS_DIR), "--no-package-lock", "--no-audit",
           "--no-fund", "--silent"]
    if run_quiet(cmd):
        note("installed " + ", ".join(f"{n}@{v}" for n, v in sorted(wanted.items())))


def main() -> int:
    ensure_chromium()
    ensure_npm_packages()
    return 0


if __name__ == "__main__":
    sys.exit(main())
