"""Shared helpers for the store proof suites: file snapshots, Dutch-message checks,
subprocess environment, temporary mounts. No fixtures with side effects live here."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"

# Words that any of our Dutch error sentences contain at least one of; an English
# library message ("file is not a database", "disk I/O error") contains none.
_DUTCH_WORDS = {
    "de", "het", "een", "is", "niet", "geen", "kluis", "bestand", "map", "schijf",
    "wachtwoordzin", "reservekopie", "mag", "kan", "er", "vul", "kies", "uw", "dit", "te",
}
_FOREIGN_MARKERS = ("traceback", "errno", "sqlite", "not a database", "error", "exception",
                    "i/o", "permission denied", "no such file")


def assert_dutch(message: str) -> None:
    """A user-facing sentence: Dutch words, a full stop, no leaked library text."""
    text = str(message).strip()
    assert text, "empty error message"
    assert text[-1] in ".!?", f"not a full sentence: {text!r}"
    words = {w.strip(".,;:()'\"").lower() for w in text.split()}
    assert words & _DUTCH_WORDS, f"does not read as Dutch: {text!r}"
    lowered = text.lower()
    for marker in _FOREIGN_MARKERS:
        assert marker not in lowered, f"library text leaks into the message: {text!r}"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every regular file under `folder` with its hash; lock files are content-free and
    may appear when a vault was opened, so they are left out."""
    out = {}
    for p in sorted(Path(folder).rglob("*")):
        if p.is_file() and not p.name.endswith(".lock"):
            out[str(p.relative_to(folder))] = sha256_file(p)
    return out


def sidecars(vault_path: Path) -> list[str]:
    """SQLite side files (-wal, -shm, -journal) that exist next to the vault."""
    return [s for s in ("-wal", "-shm", "-journal") if Path(f"{vault_path}{s}").exists()]


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(SRC), str(REPO)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def python() -> str:
    return sys.executable


@contextlib.contextmanager
def tmpfs(mountpoint: Path, size: str = "64k", readonly: bool = False) -> Iterator[Path]:
    """Mount a small tmpfs (needs root). Raises PermissionError when mounting is not
    allowed here, so the caller can skip with that reason."""
    mountpoint.mkdir(parents=True, exist_ok=True)
    opts = f"size={size},mode=0755" + (",ro" if readonly else "")
    try:
        res = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(mountpoint)],
                             capture_output=True, text=True, timeout=20)
    except FileNotFoundError:
        raise PermissionError("the mount command is not available") from None
    if res.returncode != 0:
        raise PermissionError(f"mount not permitted: {res.stderr.strip() or res.returncode}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True, timeout=20)
