"""Root test configuration: environment first, before anything imports Qt."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

# PySide6 6.12 on CPython 3.11 leaks references to None; see aandacht/ui/none_guard.py.
from aandacht.ui.none_guard import pin_none  # noqa: E402

pin_none()

import pytest  # noqa: E402

from aandacht.paths import AppPaths  # noqa: E402
from aandacht.store.kdf import FAST_PARAMS  # noqa: E402

TEST_PASSPHRASE = "correct paard batterij nietje"


@pytest.fixture
def app_paths(tmp_path) -> AppPaths:
    return AppPaths.under(tmp_path / "home").ensure()


@pytest.fixture
def vault(app_paths):
    """An open vault in tmp_path with cheap KDF parameters (the app tunes its own)."""
    from aandacht.store import create_vault

    v = create_vault(app_paths.vault, TEST_PASSPHRASE, FAST_PARAMS)
    yield v
    v.close()


@pytest.fixture
def case_service(vault):
    from aandacht.services.cases import CaseService

    return CaseService(vault)


@pytest.fixture
def services(vault):
    from aandacht.services import build_services

    return build_services(vault)


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    """The whole test session runs with the network guarded: Aandacht opens no socket."""
    from tests.offline_guard import offline

    with offline(allow_unix=True) as attempts:
        yield
    assert attempts == [], f"network attempts during the test session: {attempts}"
