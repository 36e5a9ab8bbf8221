"""The inzage export action for the case view: save everything the vault holds about one
case as a PDF for an access request (AVG art. 15), then log the export on the timeline.

The export is logged only after the file was written: a cancelled or failed save leaves
no timeline entry and no (partial) file.
"""

from __future__ import annotations

from pathlib import Path

from aandacht.domain.errors import AandachtError
from aandacht.services.reports import write_export
from aandacht.ui import dialogs
from aandacht.ui.annual_page import report_service


# --- modal hooks (tests replace these) -------------------------------------------------
def ask_save_path(parent, title: str, default_name: str, filters: str) -> str:
    return dialogs.ask_save_path(parent, title, default_name, filters)


def show_error(parent, text: str) -> None:
    dialogs.warn(parent, "Inzage-export lukte niet", text)


def show_info(parent, text: str) -> None:
    dialogs.inform(parent, "Inzage-export opgeslagen", text)


def export_inzage(services, case_id: int, parent=None) -> Path | None:
    """Build, ask where, write atomically, log, confirm. Returns the written path or None."""
    reports = report_service(services)
    try:
        data = reports.inzage_pdf(case_id)
    except AandachtError as err:
        show_error(parent, str(err))
        return None
    # The file name carries the case number and date, never the label: file names end up
    # in recent-file lists and folder views.
    default = f"inzageverzoek-casus-{case_id}-{reports.today().isoformat()}.pdf"
    path = ask_save_path(parent, "Inzageoverzicht opslaan (art. 15 AVG)", default,
                         "PDF-bestand (*.pdf)")
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    try:
        written = write_export(target, data)
    except AandachtError as err:
        show_error(parent, str(err))
        return None
    try:
        reports.record_inzage_export(case_id)
    except AandachtError as err:
        show_error(parent, f"Het overzicht is opgeslagen als '{written.name}', maar de export kon "
                           f"niet in de tijdlijn worden vastgelegd: {err}")
        return written
    show_info(parent, f"Het inzageoverzicht is opgeslagen als '{written.name}' en de export is "
                      "vastgelegd in de tijdlijn van de casus.\n\nControleer het overzicht vóór "
                      "verstrekking op gegevens over anderen (derden) en lak die zo nodig weg.")
    return written
