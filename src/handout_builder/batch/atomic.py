"""Atomic file writes: bytes in, a complete file on disk out, or no change at all.

``stage`` writes the bytes in full to a temporary file beside the target (readable by others, as
a PDF is for sharing); ``write_atomic`` then renames it over the target. A failed or interrupted
write leaves the previous file untouched and no partial file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FILE_MODE = 0o644


def stage(data: bytes, target: Path) -> Path:
    """Write ``data`` to a temporary file beside ``target``; ``os.replace`` commits it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes the file private
            os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(data: bytes, target: Path) -> None:
    """Put ``data`` at ``target`` all at once (see the module docstring)."""
    tmp = stage(data, target)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
