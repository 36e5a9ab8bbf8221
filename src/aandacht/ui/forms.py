"""Loads the Qt Designer forms in forms/ at run time (shipped in the wheel as aandacht/forms).

One way for every form: QUiLoader into a fresh widget, children looked up by objectName.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from aandacht.content import resource_root


def forms_root() -> Path:
    installed = resource_root().parent / "forms"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "forms"


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    path = forms_root() / f"{name}.ui"
    fh = QFile(str(path))
    if not fh.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError(f"Formulier {path} ontbreekt in deze installatie.")
    try:
        widget = QUiLoader().load(fh, parent)
    finally:
        fh.close()
    if widget is None:
        raise RuntimeError(f"Formulier {path} kon niet worden geladen.")
    return widget
