"""Atomic file writes: bytes in, a complete file on disk out, or no change at all.

``stage`` writes the bytes in full to a hidden temporary file beside the target (readable by
others, as a PDF is for sharing, unless a ``mode`` says otherwise); ``write_atomic`` then renames
it over the target, or, with ``overwrite=False``, links it into place only if no file is there
yet (so a file that appears meanwhile is not replaced either). A failed or interrupted write
leaves the previous file untouched and never a partial file under the target's name. A process
killed while it writes (the OOM killer, a lost cluster node) cannot remove its temporary file, so
each is named after the host and process that wrote it (``.<name>~<host>~<pid>~<random>.tmp``):
``remove_orphans`` deletes those whose process on this host is gone, and only those, so a
concurrent build in the same folder is never disturbed.

**Fault injection, for tests only.** When the environment variable ``HANDOUT_BUILDER_FAULT`` is
set (the tests set it for child processes; nothing else does), ``stage`` acts on it halfway
through writing the file it names, with the first half already on disk:

- ``kill-while-writing:NAME`` -- the process kills itself (SIGKILL), as the OOM killer would;
- ``hold-while-writing:NAME:RELEASE`` -- the write waits (up to a minute) until the file
  ``RELEASE`` exists, so a test can act while a build is certainly under way.

``NAME`` is the target's file name (``topic-01.pdf``, ``.handout-manifest.json``).
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import tempfile
import time
from pathlib import Path

FILE_MODE = 0o644
FAULT = "HANDOUT_BUILDER_FAULT"
_SEPARATOR = "~"  # never in a host name, a handout id or the manifest's name
HOLD_SECONDS = 60.0


def stage(data: bytes, target: Path, mode: int = FILE_MODE) -> Path:
    """Write ``data`` to a temporary file beside ``target``; ``os.replace`` commits it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_prefix(target.name), suffix=".tmp", dir=target.parent)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes the file private
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            half = len(data) // 2
            fh.write(data[:half])
            _fault_point(target.name, fh.fileno())
            fh.write(data[half:])
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


def remove_orphans(folder: Path) -> list[Path]:
    """Delete the temporary files in ``folder`` left by processes of this host that are gone
    (killed while writing); give what was deleted. Files of live processes and of other hosts
    are left alone."""
    host = socket.gethostname()
    removed = []
    for tmp in folder.glob(f".*{_SEPARATOR}*{_SEPARATOR}*{_SEPARATOR}*.tmp"):
        parts = tmp.name.split(_SEPARATOR)
        if len(parts) != 4 or parts[1] != host or not parts[2].isdigit():
            continue
        if not _alive(int(parts[2])):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def _prefix(name: str) -> str:
    return _SEPARATOR.join((f".{name}", socket.gethostname(), str(os.getpid()), ""))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _fault_point(name: str, fd: int) -> None:
    """Act on ``HANDOUT_BUILDER_FAULT`` when it names this file (see the module docstring)."""
    spec = os.environ.get(FAULT)
    if not spec:
        return
    action, _, rest = spec.partition(":")
    target, _, release = rest.partition(":")
    if target != name:
        return
    os.fsync(fd)  # the first half is really on disk, as after a crash
    if action == "kill-while-writing":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "hold-while-writing" and release:
        deadline = time.monotonic() + HOLD_SECONDS
        while not Path(release).exists() and time.monotonic() < deadline:
            time.sleep(0.02)
