"""The encrypted store (SQLCipher). The only place SQL lives; never imports Qt.

Names resolve lazily (PEP 562) so that taking the instance lock at start-up does not
load SQLCipher: `from aandacht.store import create_vault, open_vault, VaultError,
WrongPassphrase` works as usual.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "InstanceLock": "aandacht.store.lock",
    "NoLock": "aandacht.store.lock",
    "VaultError": "aandacht.store.lock",
    "VaultInUse": "aandacht.store.lock",
    "Vault": "aandacht.store.vault",
    "VaultDamaged": "aandacht.store.vault",
    "WrongPassphrase": "aandacht.store.vault",
    "create_vault": "aandacht.store.vault",
    "open_vault": "aandacht.store.vault",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'aandacht.store' has no attribute {name!r}")
