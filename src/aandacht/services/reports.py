"""Reports of the case log: the jaaroverzicht (counts for the college) and the inzage
export of one case (AVG art. 15).

Everything is built in memory. Writing goes through `write_export`, which writes the
bytes to the path the AF chose and leaves no partial file behind on failure. The
inzage export is logged on the case's timeline only once the file is safely written:
the caller calls `record_inzage_export` after a successful save.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

from aandacht.domain import retention
from aandacht.domain.case import Entry, EntryKind
from aandacht.domain.errors import AandachtError, ValidationError
from aandacht.domain.stats import AnnualOverview, compute_overview
from aandacht.reports.annual_pdf import annual_csv, build_annual_pdf
from aandacht.reports.inzage_pdf import build_inzage_pdf
from aandacht.store.reports import ReportStore

GEMEENTE_KEY = "gemeente_naam"  # set at first start (services.session) and in Instellingen
INZAGE_TITLE = "Inzage-export gemaakt"


class ExportError(AandachtError):
    """Writing an export file failed; the message says why, in Dutch."""


def recipient_names() -> dict[str, str]:
    """Readable names for the recipient ids a route walk records (sociale-kaart contact ids).

    The routekaart names the contacts; the sociale kaart holds their names. Outcome ids are
    mapped too (to the outcome's title) in case a route entry recorded those. If the
    routekaart module or its content cannot be loaded, the jaaroverzicht shows the ids:
    the figures stay right, only less readable.
    """
    try:
        from aandacht.domain.routekaart import load_routekaart
        from aandacht.domain.sociale_kaart import load_sociale_kaart
    except ImportError:
        return {}
    try:
        kaart = load_sociale_kaart()
        tree = load_routekaart(contact_ids=kaart.ids)
    except AandachtError:
        return {}
    names = {oid: tree.outcome(oid).title for oid in tree.outcome_ids}
    names.update({c.id: c.name for c in kaart.contacts})
    return names


def write_export(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write an export to `path` all at once: a sibling file is written, flushed and renamed
    over the target, so a failure (full disk, no rights) never leaves a half file."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    folder = target.parent
    if target.is_dir():
        raise ExportError(f"'{target.name}' is een map. Kies een bestandsnaam.")
    if not folder.is_dir():
        raise ExportError(f"De map '{folder}' bestaat niet. Kies een andere map.")
    part = folder / f".{target.name}.{os.getpid()}.deel"
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            _remove_quietly(part)
            raise
        try:
            os.replace(part, target)
        except BaseException:
            _remove_quietly(part)
            raise
    except OSError as exc:
        raise ExportError(_write_message(exc, target)) from None
    return target


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _write_message(exc: OSError, target: Path) -> str:
    reasons = {
        errno.EACCES: "u hebt geen schrijfrechten in die map",
        errno.EPERM: "u hebt geen schrijfrechten in die map",
        errno.ENOSPC: "de schijf is vol",
        errno.EROFS: "die map is alleen-lezen",
        errno.ENOENT: "de map bestaat niet (meer)",
        errno.EEXIST: "er staat al een tijdelijk bestand met dezelfde naam",
        errno.ENAMETOOLONG: "de bestandsnaam is te lang",
    }
    reason = reasons.get(exc.errno, exc.strerror or "onbekende fout")
    return (f"Het bestand '{target.name}' kon niet worden opgeslagen: {reason}. "
            "Er is geen (half) bestand achtergebleven. Kies een andere plek en probeer het "
            "opnieuw.")


class ReportService:
    def __init__(self, vault, cases, settings, today=None):
        self.vault = vault
        self.cases = cases
        self.settings = settings
        self.store = ReportStore(vault)
        self._today = today or getattr(cases, "today", None) or dt.date.today
        self._names: dict[str, str] | None = None

    def today(self) -> dt.date:
        return self._today()

    @property
    def gemeente(self) -> str:
        return str(self.settings.get(GEMEENTE_KEY, "") or "").strip()

    def names(self) -> dict[str, str]:
        if self._names is None:  # content files do not change while the app runs
            self._names = recipient_names()
        return self._names

    # --- jaaroverzicht -------------------------------------------------------------------
    def years(self) -> list[int]:
        """Years to offer: every year with a case, and the current year, newest first."""
        years = set(self.store.case_years())
        years.add(self.today().year)
        return sorted(years, reverse=True)

    def default_year(self) -> int:
        """The newest year that has cases (the current year when there are none)."""
        with_cases = self.store.case_years()
        return with_cases[0] if with_cases else self.today().year

    def _check_year(self, year: int) -> int:
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise ValidationError("Kies een jaar.", "year") from None
        if year < 2000 or year > self.today().year:
            raise ValidationError(f"Kies een jaar tussen 2000 en {self.today().year}.", "year")
        return year

    def annual(self, year: int) -> AnnualOverview:
        year = self._check_year(year)
        return compute_overview(self.cases.store.stats_rows(year), year, self.names())

    def annual_pdf(self, year: int, suppress: bool, invariant: bool = False) -> bytes:
        overview = self.annual(year)
        return build_annual_pdf(overview, self.gemeente, overview.year, suppress,
                                invariant=invariant, generated_on=self.today())

    def annual_csv(self, year: int, suppress: bool) -> str:
        return annual_csv(self.annual(year), suppress)

    # --- inzage (AVG art. 15) ------------------------------------------------------------
    def inzage_pdf(self, case_id: int, invariant: bool = False) -> bytes:
        """Everything the vault holds about one case. Not logged here: call
        `record_inzage_export` once the caller has written the file."""
        case = self.cases.get_case(case_id)
        return build_inzage_pdf(
            case,
            self.cases.timeline(case_id),
            self.cases.followups(case_id),
            self.store.states(case_id),
            self.store.disclosures(case_id),
            self.gemeente,
            invariant=invariant,
            grounds=self.store.grounds(case_id),
            generated_on=self.today(),
            recipient_names=self.names(),
            close_reason_label=self._close_reason_label(case.close_reason),
        )

    def _close_reason_label(self, reason: str | None) -> str | None:
        if not reason:
            return None
        try:
            policy = retention.Policy.load(self.settings)
        except AandachtError:
            return None
        found = policy.reasons.get(reason)
        return found.label if found else None

    def record_inzage_export(self, case_id: int) -> Entry:
        """Log on the case's timeline that an inzage export was saved."""
        self.cases.get_case(case_id)  # a clear Dutch error if the case is gone
        return self.cases.add_entry(Entry(
            None, case_id, EntryKind.NOTITIE, self.today(), title=INZAGE_TITLE,
            body="Overzicht van alle verwerkte gegevens van deze casus opgeslagen als PDF "
                 "voor een inzageverzoek (art. 15 AVG). Gegevens over derden vóór verstrekking "
                 "controleren en zo nodig weglakken.",
            data={"export": "inzage"}))
