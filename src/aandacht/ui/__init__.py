"""The Qt layer. The only package that imports PySide6."""

from aandacht.ui.none_guard import pin_none

pin_none()
