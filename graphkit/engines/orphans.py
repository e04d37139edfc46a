"""Worker processes end with the process that started them, however it ends.

A pool shuts its workers down when the parent exits normally; a parent killed with
SIGKILL or SIGTERM runs no clean-up, and its workers (each holding a loaded pipeline)
would live on. On Linux the kernel sends the worker SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon thread notices the parent is gone (the
worker is handed to another process) and ends the worker.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_SECONDS = 1.0


def die_with_parent(parent: int) -> None:
    """Make this process end when ``parent`` (the process that started it) ends."""
    if sys.platform.startswith("linux") and _death_signal(signal.SIGKILL):
        # The parent may have died before the signal was asked for: nobody would send it.
        if os.getppid() != parent:
            os._exit(1)
        return
    threading.Thread(target=_watch, args=(parent,), name="graphkit-parent-watch",
                     daemon=True).start()


def _death_signal(signum: int) -> bool:
    """Ask the kernel to send ``signum`` when the parent ends; False if it cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
