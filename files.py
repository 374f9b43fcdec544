"""Output files that are either complete or untouched.

A user's old export, network page or decisions file must survive a killed
command, a full disk or a bad path. So every file the tool writes goes to a
temporary file in the same folder, is flushed to disk, and only then renamed
over the old one (a rename within one file system is atomic). On any failure
the temporary file is removed, the old file is as it was, and the error names
the file and the problem in words.

Targets that are not regular files (``/dev/stdout``, a FIFO, ``/dev/full``)
cannot be renamed over; they are written directly, which is what a user who
names a device means.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import IndsatsgrafError


class OutputError(IndsatsgrafError):
    """An output file that cannot be written; the old file, if any, is unchanged."""


REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ELOOP: "the path has a symbolic-link loop",
    errno.EFBIG: "the file is too large for the file system",
}


def reason(error: OSError) -> str:
    """An OS error in words, without Python's ``[Errno n]`` decoration."""
    return REASONS.get(error.errno or 0, error.strerror or str(error))


def check_target(path: Path) -> None:
    """Refuse a target that cannot become the output file, before any work is done.

    Checking first means a long export or layout is not computed only to fail
    at the end, and the message can say exactly what is wrong with the path.
    """
    shown = str(path)
    if path.is_dir():
        raise OutputError(f"{shown}: is a folder; give a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise OutputError(f"{shown}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(f"{shown}: {folder} is not a folder")
    if path.exists() and path.is_file() and not path.stat().st_mode & 0o222:
        raise OutputError(f"{shown}: the file is read-only; the old file is unchanged")


def _is_special(path: Path) -> bool:
    """Whether ``path`` exists and is not a regular file (a device, a FIFO, a socket)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary handle whose content replaces ``path`` only if the block completes.

    The new file keeps the old file's permissions (or gets the usual ones for a
    new file under the user's umask).
    """
    path = Path(path)
    check_target(path)
    if _is_special(path):
        try:
            with path.open("wb") as handle:
                yield handle
        except OSError as error:
            raise OutputError(f"{path}: cannot write ({reason(error)})") from None
        return
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{path}: cannot write in {folder} ({reason(error)})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise OutputError(
            f"{path}: cannot write ({reason(error)}); the old file, if any, is unchanged"
        ) from None
    except BaseException:
        _remove(temporary)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once (see :func:`atomic_output`)."""
    with atomic_output(path) as handle:
        handle.write(data)


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove(temporary: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temporary)
