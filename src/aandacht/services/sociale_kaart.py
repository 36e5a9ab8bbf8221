"""Use cases of the sociale kaart: the defaults merged with the gemeente's edits (kept in
the vault under "sociale_kaart"), editing, confirming a number, export and import.

An import is two steps: `preview_import` reads and checks the whole file and computes
the diff; `apply_import` stores the result in one settings write, and only if the kaart
did not change in between. A bad file never leaves anything half-applied.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from aandacht.domain.errors import ContentError, NotAllowed, ValidationError
from aandacht.domain.routekaart import load_routekaart
from aandacht.domain.sociale_kaart import (
    MAX_IMPORT_BYTES,
    Contact,
    ImportPlan,
    clean_fields,
    diff_contacts,
    edits_for,
    export_bytes,
    load_sociale_kaart,
    merge,
    new_contact_id,
    plan_import,
)

SETTINGS_KEY = "sociale_kaart"
GEMEENTE_KEY = "gemeente_naam"


class SocialeKaartService:
    def __init__(self, settings, path: Path | str | None = None,
                 required: Collection[str] | None = None):
        self.settings = settings
        self._defaults = load_sociale_kaart(path)
        if required is None:
            required = load_routekaart(contact_ids=self._defaults.ids).recipients
        self.required = frozenset(required)

    # --- reading -----------------------------------------------------------------------
    @property
    def defaults(self) -> tuple[Contact, ...]:
        return self._defaults.contacts

    @property
    def source(self) -> dict:
        return dict(self._defaults.source)

    def _edits(self):
        return self.settings.get(SETTINGS_KEY, None)

    def contacts(self) -> list[Contact]:
        return merge(self._defaults.contacts, self._edits())

    def get(self, contact_id: str) -> Contact:
        for c in self.contacts():
            if c.id == contact_id:
                return c
        raise ValidationError(f"Het contact '{contact_id}' staat niet op de sociale kaart.")

    def find(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts() if c.id == contact_id), None)

    def is_default(self, contact_id: str) -> bool:
        return contact_id in self._defaults.ids

    def is_required(self, contact_id: str) -> bool:
        return contact_id in self.required

    def is_changed(self, contact_id: str) -> bool:
        """True when the gemeente changed a default contact (or added this one)."""
        if not self.is_default(contact_id):
            return True
        return self.find(contact_id) != self._defaults.get(contact_id)

    # --- editing -----------------------------------------------------------------------
    def _store(self, contacts: list[Contact]) -> None:
        self.settings.set(SETTINGS_KEY, edits_for(self._defaults.contacts, contacts))

    def edit(self, contact_id: str, **changes) -> Contact:
        """Change fields of a contact. A new phone number counts as unconfirmed unless the
        change itself says it is confirmed."""
        if "id" in changes:
            raise ValidationError("De sleutel van een contact kan niet worden gewijzigd.", "id")
        current = self.get(contact_id)
        cleaned = clean_fields(changes)
        if "phone" in cleaned and cleaned["phone"] != current.phone and "verified" not in cleaned:
            cleaned["verified"] = False
        updated = replace(current, **cleaned)
        if updated.verified and not updated.phone:
            raise ValidationError("Een leeg telefoonnummer kan niet als bevestigd gelden.",
                                  "verified")
        self._store([updated if c.id == contact_id else c for c in self.contacts()])
        return updated

    def confirm_phone(self, contact_id: str) -> Contact:
        contact = self.get(contact_id)
        if not contact.phone:
            raise ValidationError(f"{contact.name} heeft nog geen telefoonnummer om te bevestigen.",
                                  "phone")
        return self.edit(contact_id, verified=True)

    def add(self, name: str, **fields) -> Contact:
        contacts = self.contacts()
        cleaned = clean_fields({"name": name, **fields})
        cid = new_contact_id(cleaned["name"], {c.id for c in contacts})
        contact = Contact(id=cid, **cleaned)
        if contact.verified and not contact.phone:
            raise ValidationError("Een leeg telefoonnummer kan niet als bevestigd gelden.",
                                  "verified")
        self._store(contacts + [contact])
        return contact

    def remove(self, contact_id: str) -> None:
        contact = self.get(contact_id)
        if self.is_required(contact_id):
            raise NotAllowed(f"{contact.name} staat in de routekaart en kan niet worden "
                             "verwijderd; pas het contact aan in plaats daarvan.")
        self._store([c for c in self.contacts() if c.id != contact_id])

    def reset(self, contact_id: str) -> Contact:
        """Back to the regional default for one contact."""
        if not self.is_default(contact_id):
            raise ValidationError("Dit contact heeft uw gemeente zelf toegevoegd; er is geen "
                                  "standaard om naar terug te gaan.")
        default = self._defaults.get(contact_id)
        contacts = self.contacts()
        if all(c.id != contact_id for c in contacts):
            contacts.append(default)
        self._store([default if c.id == contact_id else c for c in contacts])
        return default

    # --- export / import -----------------------------------------------------------------
    def export_bytes(self, exported_on: dt.date | None = None) -> bytes:
        return export_bytes(self.contacts(), exported_on,
                            gemeente=str(self.settings.get(GEMEENTE_KEY, "") or ""))

    def export(self, path: Path | str, exported_on: dt.date | None = None) -> Path:
        """Write the kaart (no case data) to `path`, all at once via a sibling file."""
        target = Path(path)
        payload = self.export_bytes(exported_on)
        if target.is_dir():
            raise ValidationError(f"'{target.name}' is een map. Kies een bestandsnaam.")
        if not target.parent.is_dir():
            raise ValidationError(f"De map '{target.parent}' bestaat niet. Kies een andere map.")
        part = target.with_name(f".{target.name}.{os.getpid()}.deel")
        try:
            part.write_bytes(payload)
            os.replace(part, target)
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise ValidationError(f"Het bestand kon niet worden opgeslagen ({exc.strerror}).") \
                from None
        return target

    def preview_import(self, path: Path | str) -> ImportPlan:
        """Read and check the whole file and compute the diff; nothing is stored yet."""
        p = Path(path)
        try:
            size = p.stat().st_size
            if size > MAX_IMPORT_BYTES:
                # refuse before reading a huge file into memory
                raise ContentError(f"het bestand is te groot ({size // 1024} kB; maximaal 1 MB). "
                                   "Is dit wel een export van de sociale kaart?", p.name)
            raw = p.read_bytes()
        except FileNotFoundError:
            raise ContentError("bestand niet gevonden.", p.name) from None
        except IsADirectoryError:
            raise ContentError("dit is een map, geen bestand.", p.name) from None
        except OSError as exc:
            raise ContentError(f"het bestand kan niet worden gelezen ({exc.strerror}).",
                               p.name) from None
        return self.preview_import_bytes(raw, p.name)

    def preview_import_bytes(self, raw: bytes, name: str | None = None) -> ImportPlan:
        return plan_import(self._defaults.contacts, self._edits(), raw, self.required, name)

    def apply_import(self, plan: ImportPlan) -> None:
        """Store what the preview showed, unless the kaart changed since the preview."""
        now = diff_contacts(self.contacts(), plan.contacts)
        if now != plan.diff:
            raise ValidationError("De sociale kaart is gewijzigd sinds het bestand werd gelezen. "
                                  "Lees het bestand opnieuw in en bekijk de wijzigingen.")
        self.settings.set(SETTINGS_KEY, dict(plan.edits))

