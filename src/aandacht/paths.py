"""The one place that decides where Aandacht keeps files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Aandacht"
VAULT_FILENAME = "aandacht.vault"


@dataclass(frozen=True)
class AppPaths:
    data: Path
    config: Path
    cache: Path

    @property
    def vault(self) -> Path:
        return self.data / VAULT_FILENAME

    @classmethod
    def default(cls) -> "AppPaths":
        # AANDACHT_HOME lets a tester or trainer point the whole app at one folder.
        override = os.environ.get("AANDACHT_HOME")
        if override:
            return cls.under(Path(override))
        import platformdirs

        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            data=Path(dirs.user_data_dir),
            config=Path(dirs.user_config_dir),
            cache=Path(dirs.user_cache_dir),
        )

    @classmethod
    def under(cls, root: Path) -> "AppPaths":
        root = Path(root)
        return cls(data=root / "data", config=root / "config", cache=root / "cache")

    def ensure(self) -> "AppPaths":
        for p in (self.data, self.config, self.cache):
            p.mkdir(parents=True, exist_ok=True)
            try:
                os.chmod(p, 0o700)
            except OSError:
                pass
        return self
