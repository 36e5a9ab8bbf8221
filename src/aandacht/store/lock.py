"""One running Aandacht per vault: an OS advisory lock on `<vault>.lock`.

Kept apart from vault.py so the app can take the lock at start-up without loading
SQLCipher first.
"""

from __future__ import annotations

import sys
from pathlib import Path

from aandacht.domain.errors import AandachtError


class VaultError(AandachtError):
    """Anything that keeps a vault from opening or saving; the message is Dutch."""


class VaultInUse(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "De kluis is al geopend in een ander venster van Aandacht. "
            "Sluit dat eerst; er is niets aan het bestand veranderd."
        )



class InstanceLock:
    """An OS file lock beside the vault: one running Aandacht per vault.

    The lock file holds no data; the OS releases the lock if the process dies.
    """

    def __init__(self, vault_path: Path):
        self.path = Path(str(vault_path) + ".lock")
        self._fh = None

    def acquire(self) -> None:
        if self._fh is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+b")
        try:
            if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
                import msvcrt

                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise VaultInUse() from None
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    @property
    def held(self) -> bool:
        return self._fh is not None


class NoLock:
    """For opening a file that is not the app's own vault (checking a backup before restore)."""

    held = True

    def acquire(self) -> None:
        pass

    def release(self) -> None:
        pass


