"""Work-arounds for bugs in the Qt bindings, each with the test that shows it (tests/ui/test_qt_fixes.py)."""

from __future__ import annotations

import sys

_HEADROOM = 1 << 40


def guard_none_refcount() -> None:
    """PySide6 6.12.0 drops one reference to None every time a Qt call hands None back to Python
    (QComboBox.currentData() on an item without data, QListWidget.currentItem() with nothing current,
    QModelIndex().data() …). On CPython before 3.12 None's count then reaches zero after enough clicks and
    the interpreter aborts with "none_dealloc: deallocating None", in the middle of a session or at exit.

    CPython 3.12 made None immortal; this gives earlier versions the same headroom (2**40 references, which
    no session can use up). Call once, before any Qt call; harmless to call again. Remove it when the
    bindings are fixed: the test then shows None's count no longer falling."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    if sys.getrefcount(None) > _HEADROOM // 2:
        return
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += _HEADROOM  # ob_refcnt is the first field of every object
