"""Guard against a reference-count bug of PySide6 6.12.0 on CPython 3.11.

Every call of a C++ method that returns `void` (setObjectName, update, QPainter.drawLine…)
drops one reference to `None` that it never took, and every `Signal.emit()` does the same
to `True`. On CPython 3.12+ `None` is immortal and
nothing happens; on 3.11 the count falls with every call until the interpreter aborts with
"none_dealloc: deallocating None" — after a few thousand calls, so any real session. Raising
None's count far out of reach once, at start-up, is what 3.12 does by design. `aandacht.ui`
runs it on import, so every entry point (app, tests, benchmarks) is covered.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40


def pin_none() -> None:
    """Make None, True and False practically immortal, as CPython 3.12 does."""
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return  # immortal singletons, or a debug build whose object header differs
    for singleton in (None, True, False):
        # In a release build ob_refcnt is the first field of every PyObject.
        refcnt = ctypes.c_ssize_t.from_address(id(singleton))
        if refcnt.value < _HEADROOM:
            refcnt.value += _HEADROOM
