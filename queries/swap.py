"""All or nothing for writes too large for one transaction: a load of many batches is written
into a copy of the store, which replaces the store only once every batch has been validated
and written. A load killed at any moment leaves the store as it was before or as it is after.

On disk the copy is a RocksDB checkpoint (`Store.backup`: hard links, no data copied) in
`DIR.next`; once complete a marker `DIR.ready` is written and the directories are swapped by
renames: `DIR` → `DIR.prev`, `DIR.next` → `DIR`. `recover(DIR)`, run by `PolicyStore.open`,
finishes a swap the marker says is complete and discards a copy it says is not. An in-memory
store is copied quad by quad and adopted in place (tests; the API writes one batch at a time).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox


def _paths(path: Path) -> tuple[Path, Path, Path]:
    return (path.with_name(path.name + ".next"), path.with_name(path.name + ".ready"),
            path.with_name(path.name + ".prev"))


def recover(path: Path) -> None:
    """Bring `path` to a whole state after a swap that was interrupted (see module docstring)."""
    nxt, ready, prev = _paths(path)
    if ready.exists():
        if nxt.exists():
            if path.exists():
                shutil.rmtree(prev, ignore_errors=True)
                path.rename(prev)
            nxt.rename(path)
        ready.unlink()
    elif nxt.exists():
        shutil.rmtree(nxt)
    shutil.rmtree(prev, ignore_errors=True)


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Copy:
    """A writable copy of a store's database, and how to make it the store's own."""

    def __init__(self, path: Path | None, source: ox.Store):
        self.path = path
        self.where = None if path is None else _paths(path)[0]
        if path is None:
            self.store = ox.Store()
            self.store.bulk_extend(source.quads_for_pattern(None, None, None, None))
            return
        nxt, ready, _prev = _paths(path)
        ready.unlink(missing_ok=True)
        shutil.rmtree(nxt, ignore_errors=True)
        source.backup(str(nxt))
        self.store = ox.Store(str(nxt))

    def discard(self) -> None:
        self.store = None  # type: ignore[assignment]
        if self.path is not None:
            shutil.rmtree(_paths(self.path)[0], ignore_errors=True)

    def adopt(self) -> ox.Store:
        """Make the copy the store: returns the database to use from now on. The caller has
        released its own handle on the old one (on disk, RocksDB's lock goes with it)."""
        if self.path is None:
            return self.store
        nxt, ready, _prev = _paths(self.path)
        self.store.flush()
        self.store = None  # type: ignore[assignment]  # releases the copy's lock
        ready.touch()
        _sync_dir(ready.parent)
        recover(self.path)
        return ox.Store(str(self.path))
