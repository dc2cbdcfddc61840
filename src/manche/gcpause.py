"""Pausing Python's cyclic garbage collector around a large computation.

The collector runs whenever enough container objects (tuples, lists, dicts...) have been made
since the last run, and a full run visits every live object. Work that makes millions of
short-lived containers and no reference cycles (linking a million observations) pays for
runs that find nothing: 15 % of the linker's time on a million observations, measured here
(``benchmarks/intel_linking.py``). Objects without cycles are still freed at once by
reference counting; cycles made meanwhile wait for the next run after the pause.

The pause is shared by threads: the collector is disabled by the first to enter and enabled
again by the last to leave, and only if it was enabled before (a program that disabled it
keeps it disabled).

Public API (stable): :func:`paused`.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """No automatic garbage collection inside the block (in any thread of the process)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
