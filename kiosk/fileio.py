"""Writing a file so a power cut leaves the old one or the new one, never half of either.

Every tmp-and-rename in the terminal goes through here: ``write_atomic`` for bytes in memory,
``replace_durably`` for a file written elsewhere (a download, a database built aside).
"""

from __future__ import annotations

import os
from pathlib import Path


def _fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` survive a power cut (the directory entry is data too)."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write beside ``path``, fsync, then rename over it; ``mode`` is set before anyone can read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def replace_durably(source: Path, path: Path) -> None:
    """Move the finished file ``source`` over ``path`` (same folder): its bytes are synced first."""
    fd = os.open(source, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(source, path)
    _fsync_dir(path.parent)
