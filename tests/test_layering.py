"""The Qt-free layers stay Qt-free: importing every module of domain, store, services,
reports and content in a fresh interpreter loads no PySide6 module at all."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.store.vault_helpers import subprocess_env

QT_FREE = ["aandacht.domain", "aandacht.store", "aandacht.services", "aandacht.reports",
           "aandacht.content"]

_PROBE = r"""
import importlib, json, pkgutil, sys
roots = json.loads(sys.argv[1])
imported, errors = [], {}
for root in roots:
    mod = importlib.import_module(root)
    imported.append(root)
    if hasattr(mod, "__path__"):  # a package: walk everything below it
        for info in pkgutil.walk_packages(mod.__path__, prefix=root + ".",
                                          onerror=lambda name: errors.setdefault(name, "walk")):
            try:
                importlib.import_module(info.name)
                imported.append(info.name)
            except Exception as exc:  # reported, and the test fails on it
                errors[info.name] = f"{type(exc).__name__}: {exc}"
qt = sorted(m for m in sys.modules if m == "PySide6" or m.startswith(("PySide6.", "shiboken6")))
print(json.dumps({"imported": imported, "errors": errors, "qt": qt}))
"""


def _probe(roots: list[str]) -> dict:
    res = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(roots)], capture_output=True,
                         text=True, env=subprocess_env(), timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_core_layers_import_no_pyside6():
    result = _probe(QT_FREE)
    assert result["errors"] == {}
    assert set(QT_FREE) <= set(result["imported"])
    assert "aandacht.store.vault" in result["imported"]  # the walk reached the modules
    assert "aandacht.services.cases" in result["imported"]
    assert result["qt"] == [], f"Qt leaked into the core layers: {result['qt'][:5]}"


def test_probe_detects_pyside6():
    """The check can fail: a module that imports Qt is seen."""
    result = _probe(["PySide6.QtCore"])
    assert "PySide6" in result["qt"]
