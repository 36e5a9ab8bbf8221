"""Small key/value settings inside the vault (JSON values): gemeente, lock timeout, ..."""

from __future__ import annotations

import json
from typing import Any


class Settings:
    def __init__(self, vault):
        self._vault = vault

    def get(self, key: str, default: Any = None) -> Any:
        row = self._vault.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            return default

    def set(self, key: str, value: Any) -> None:
        with self._vault.transaction() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def all(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self._vault.execute("SELECT key, value FROM meta")}
