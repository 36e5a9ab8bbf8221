"""One running app's hold on its vault: the instance lock, unlock and lock, the services.

Qt-free, so the whole lock/unlock cycle can be scripted in tests and benchmarks.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from aandacht.store.lock import InstanceLock

if TYPE_CHECKING:
    from aandacht.services import Services
    from aandacht.store.kdf import KdfParams
    from aandacht.store.vault import Vault

# SQLCipher and the services load on the first create/unlock, not at start-up: the
# unlock screen appears sooner and the AF types while nothing else is needed.


class Session:
    def __init__(self, vault_path: Path, params: KdfParams | None = None):
        self.vault_path = Path(vault_path)
        self.lock_file = InstanceLock(self.vault_path)
        self._params = params  # None: tune on this machine at creation
        self.vault: Vault | None = None
        self.services: Services | None = None

    def claim(self) -> None:
        """Take the one-instance lock before anything else; raises VaultInUse."""
        self.lock_file.acquire()

    @property
    def exists(self) -> bool:
        return self.vault_path.exists()

    @property
    def unlocked(self) -> bool:
        return self.vault is not None and self.vault.is_open

    def create(self, passphrase: str, gemeente: str) -> Services:
        from aandacht.services import build_services
        from aandacht.store.vault import create_vault

        self.claim()
        self.vault = create_vault(self.vault_path, passphrase, self._params, lock=self.lock_file)
        self.vault.settings.set("gemeente_naam", gemeente.strip())
        self.services = build_services(self.vault)
        return self.services

    def unlock(self, passphrase: str) -> Services:
        from aandacht.services import build_services
        from aandacht.store.vault import open_vault

        self.claim()
        self.vault = open_vault(self.vault_path, passphrase, lock=self.lock_file)
        self.services = build_services(self.vault)
        return self.services

    def restore(self, backup: Path, passphrase: str) -> Services:
        """Put a backup in place of a missing vault, after proving the passphrase opens it."""
        import shutil

        from aandacht.store.vault import VaultError, open_vault

        self.claim()
        if self.exists:
            raise VaultError("Er is al een kluis; Aandacht zet een reservekopie alleen terug "
                             "als er nog geen kluis is.")
        from aandacht.store.vault import NoLock

        open_vault(backup, passphrase, lock=NoLock(), migrate=False).close()
        tmp = self.vault_path.with_name(self.vault_path.name + ".restore")
        self.vault_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(backup, tmp)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise VaultError(f"De reservekopie kon niet worden teruggezet ({exc.strerror}).") from None
        tmp.replace(self.vault_path)
        return self.unlock(passphrase)

    def lock(self) -> None:
        """Close the connection (the key goes with it); the instance lock stays held."""
        if self.vault is not None:
            self.vault.close()
        self.vault = None
        self.services = None

    def close(self) -> None:
        self.lock()
        self.lock_file.release()
