"""Atomic file writes: bytes in, a complete file on disk out, or no change at all.

``stage`` writes the bytes in full to a temporary file beside the target (readable by others, as
a PDF is for sharing, unless a ``mode`` says otherwise); ``write_atomic`` then renames it over the
target, or, with ``overwrite=False``, links it into place only if no file is there yet (so a
file that appears meanwhile is not replaced either). A failed or interrupted write leaves the
previous file untouched and no partial file behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

FILE_MODE = 0o644


def stage(data: bytes, target: Path, mode: int = FILE_MODE) -> Path:
    """Write ``data`` to a temporary file beside ``target``; ``os.replace`` commits it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes the file private
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(
    data: bytes, target: Path, *, overwrite: bool = True, mode: int = FILE_MODE
) -> None:
    """Put ``data`` at ``target`` all at once (see the module docstring). With
    ``overwrite=False``, an existing ``target`` raises ``FileExistsError`` and is left as it
    was."""
    if not overwrite and target.exists():
        raise FileExistsError(errno.EEXIST, "file exists", str(target))
    tmp = stage(data, target, mode)
    try:
        if overwrite:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _link_new(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target`` only if nothing has it: a hard link fails on an existing
    name, so a file made meanwhile is never replaced."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: the next best check
        if target.exists():
            raise FileExistsError(errno.EEXIST, "file exists", str(target)) from None
        os.replace(tmp, target)
