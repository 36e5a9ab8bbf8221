"""Canary strings and the byte scanner of the end-to-end proof suites.

A canary is a unique word (no spaces, so it stays one search token and one line in a
PDF cell) put in one text field. Every canary of one run carries the same random run
id, so the scanner also catches fragments: the FTS index stores terms lower-cased and
prefix-compressed, and a partial page could hold half a word. The scanner looks for
each canary and for the bare run id in UTF-8 and UTF-16 (LE and BE), as written and
lower-cased.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MAX_SCAN_BYTES = 256 * 1024 * 1024  # a file larger than this in /tmp is not ours


class Canaries:
    """`c = Canaries(); c("persoon.naam")` -> "Kanarie007x<run>"; remembered by name."""

    def __init__(self, prefix: str = "Kanarie") -> None:
        self.run = uuid.uuid4().hex[:12]
        self.prefix = prefix
        self.by_name: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self.by_name:
            self.by_name[name] = f"{self.prefix}{len(self.by_name):03d}x{self.run}"
        return self.by_name[name]

    def name_of(self, value: str) -> str:
        return next(n for n, v in self.by_name.items() if v == value)

    def needles(self) -> dict[bytes, str]:
        """Byte pattern -> what it stands for (for a readable failure message)."""
        out: dict[bytes, str] = {}
        words = {name: value for name, value in self.by_name.items()}
        words["<run id>"] = self.run
        for name, word in words.items():
            for text in {word, word.lower(), word.upper()}:
                for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                    out[text.encode(enc)] = f"{name} ({enc})"
        return out


def tmp_roots() -> list[Path]:
    """The system temp folders a process could write to behind our back."""
    roots = []
    for p in (tempfile.gettempdir(), "/var/tmp", "/dev/shm"):
        path = Path(p)
        if path.is_dir() and path.resolve() not in {r.resolve() for r in roots}:
            roots.append(path)
    return roots


def listing(roots: Iterable[Path]) -> dict[Path, tuple[float, int]]:
    """Every regular file under `roots` with (mtime, size); unreadable folders skipped."""
    out: dict[Path, tuple[float, int]] = {}
    for root in roots:
        for folder, dirs, files in os.walk(root, onerror=lambda _e: None):
            for name in files:
                p = Path(folder) / name
                try:
                    st = p.lstat()
                except OSError:
                    continue
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                out[p] = (st.st_mtime, st.st_size)
    return out


def new_tmp_files(before: dict[Path, tuple[float, int]], since: float) -> list[Path]:
    """Files in the temp roots created or changed since `since` (or not there before)."""
    now = listing(tmp_roots())
    return sorted(p for p, (mtime, size) in now.items()
                  if (p not in before or mtime >= since or before[p] != (mtime, size))
                  and size <= MAX_SCAN_BYTES)


def files_under(*folders: Path) -> list[Path]:
    out = []
    for folder in folders:
        folder = Path(folder)
        if folder.is_file():
            out.append(folder)
        elif folder.is_dir():
            out += [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(set(out))


@dataclass
class ScanResult:
    files: int = 0
    bytes: int = 0
    hits: list[str] = field(default_factory=list)
    seconds: float = 0.0
    scanned: list[Path] = field(default_factory=list)

    def add(self, other: ScanResult) -> ScanResult:
        return ScanResult(self.files + other.files, self.bytes + other.bytes,
                          self.hits + other.hits, self.seconds + other.seconds,
                          self.scanned + other.scanned)


def scan(paths: Iterable[Path], needles: dict[bytes, str],
         exclude: Iterable[Path] = ()) -> ScanResult:
    """Read every byte of every file; report each (file, needle) hit."""
    start = time.perf_counter()
    skip = {Path(p).resolve() for p in exclude}
    result = ScanResult()
    for p in sorted({Path(p) for p in paths}):
        try:
            if p.resolve() in skip:
                continue
            data = p.read_bytes()
        except OSError:
            continue  # vanished (another process's temp file) or unreadable
        result.files += 1
        result.bytes += len(data)
        result.scanned.append(p)
        for needle, what in needles.items():
            if needle in data:
                result.hits.append(f"{p}: {what}")
    result.seconds = time.perf_counter() - start
    return result
