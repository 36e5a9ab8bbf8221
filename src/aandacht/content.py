"""Reads the content files under resources/content/ (TOML) and validates them.

Content is policy, not code: the FG or a policy officer can review and change
it without reading Python. Every loader here turns a broken file into a
`ContentError` naming the file and the place, never a silent gap.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from aandacht.domain.errors import ContentError


def resource_root() -> Path:
    """The resources/ folder, both in a checkout and in an installed wheel."""
    # An installed wheel carries resources/ inside the package (force-include in pyproject).
    installed = Path(__file__).resolve().parent / "resources"
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    raise ContentError("De map met inhoudsbestanden (resources) ontbreekt in deze installatie.")


def content_path(name: str) -> Path:
    return resource_root() / "content" / name


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning every failure into a Dutch ContentError."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ContentError("bestand niet gevonden", str(path)) from None
    except OSError as exc:
        raise ContentError(f"bestand kan niet worden gelezen ({exc.strerror})", str(path)) from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ContentError("geen geldige UTF-8-tekst", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"ongeldige TOML: {exc}", str(path)) from None


def require_source(data: dict[str, Any], path: str) -> dict[str, Any]:
    """Every content file names its source and version (architecture §4)."""
    src = data.get("source")
    if not isinstance(src, dict) or not src.get("title"):
        raise ContentError("de tabel [source] met ten minste 'title' ontbreekt", path)
    if not isinstance(data.get("version"), int):
        raise ContentError("'version' (een geheel getal) ontbreekt", path)
    return src


def check_keys(table: dict[str, Any], allowed: set[str], where: str, path: str) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise ContentError(f"onbekende sleutel(s) {', '.join(sorted(unknown))} in {where}", path)


def text_field(table: dict[str, Any], key: str, where: str, path: str,
               required: bool = True) -> str:
    """A text value of a content table, stripped; a Dutch ContentError when it is not text
    or (if required) empty."""
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ContentError(f"'{key}' in {where} moet tekst zijn", path)
    value = value.strip()
    if required and not value:
        raise ContentError(f"'{key}' ontbreekt in {where}", path)
    return value
