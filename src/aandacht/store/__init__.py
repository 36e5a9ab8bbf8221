"""The encrypted store (SQLCipher). The only place SQL lives; never imports Qt."""

from aandacht.store.vault import (
    InstanceLock,
    Vault,
    VaultDamaged,
    VaultError,
    VaultInUse,
    WrongPassphrase,
    create_vault,
    open_vault,
)

__all__ = [
    "InstanceLock", "Vault", "VaultDamaged", "VaultError", "VaultInUse", "WrongPassphrase",
    "create_vault", "open_vault",
]
