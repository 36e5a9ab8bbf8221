"""The Sociale kaart page: the region's contacts with the gemeente's own changes.

A table of contacts; edit, confirm a number, add, remove (not a contact the routekaart
needs), back to the regional default; export to a file and import one, with every
change shown before it is applied. All rules live in SocialeKaartService.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.errors import AandachtError
from aandacht.domain.sociale_kaart import FIELD_LABELS, Contact, ImportPlan
from aandacht.services.sociale_kaart import SocialeKaartService
from aandacht.ui.cases.common import ErrorBanner
from aandacht.ui.routekaart import hooks
from aandacht.ui.routekaart.route_widget import kaart_service

COL_NAME, COL_PHONE, COL_STATUS, COL_HOURS, COL_ROLE, COL_CHANGED = range(6)
HEADERS = ("Naam", "Telefoon", "Status nummer", "Bereikbaarheid", "Rol in de keten", "Bron")


class ContactTableModel(QAbstractTableModel):
    def __init__(self, service: SocialeKaartService, parent=None):
        super().__init__(parent)
        self.service = service
        self.rows: list[Contact] = []

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = self.service.contacts()
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        c = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return c.name
            if col == COL_PHONE:
                return c.phone or "—"
            if col == COL_STATUS:
                return c.phone_status
            if col == COL_HOURS:
                return c.hours or "—"
            if col == COL_ROLE:
                return c.role
            if col == COL_CHANGED:
                if not self.service.is_default(c.id):
                    return "eigen contact"
                return "aangepast" if self.service.is_changed(c.id) else "regionaal"
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS and not c.verified:
            return QBrush(QColor("#8a1c12" if c.phone else "#52606d"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.role
        if role == Qt.ItemDataRole.UserRole:
            return c.id
        return None


class ContactDialog(QDialog):
    """Edit or add a contact. A refused value shows above the form; nothing typed is lost."""

    def __init__(self, service: SocialeKaartService, contact: Contact | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.contact = contact
        self.saved: Contact | None = None
        self.setWindowTitle("Contact bewerken" if contact else "Contact toevoegen")
        self.resize(560, 520)
        self.banner = ErrorBanner(self)
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        for key in ("name", "phone", "email", "website", "hours"):
            edit = QLineEdit(getattr(contact, key) if contact else "", objectName=f"field_{key}")
            self.edits[key] = edit
            form.addRow(FIELD_LABELS[key], edit)
        for key in ("role", "notes"):
            edit = QPlainTextEdit(getattr(contact, key) if contact else "",
                                  objectName=f"field_{key}")
            edit.setFixedHeight(80)
            self.edits[key] = edit
            form.addRow(FIELD_LABELS[key], edit)
        self.verified = QCheckBox("Het telefoonnummer is gecontroleerd en klopt",
                                  objectName="field_verified")
        self.verified.setChecked(bool(contact and contact.verified))
        # A number typed anew is not yet checked; the AF ticks the box again after checking.
        self.edits["phone"].textEdited.connect(lambda _t: self.verified.setChecked(False))
        form.addRow("", self.verified)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Opslaan")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict:
        out = {}
        for key, edit in self.edits.items():
            out[key] = edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
        out["verified"] = self.verified.isChecked()
        return out

    def save(self) -> None:
        values = self.values()
        try:
            if self.contact is None:
                name = values.pop("name")
                self.saved = self.service.add(name, **values)
            else:
                changes = {k: v for k, v in values.items()
                           if getattr(self.contact, k) != (v.strip() if isinstance(v, str) else v)}
                if "phone" in changes:
                    changes["verified"] = values["verified"]
                self.saved = (self.service.edit(self.contact.id, **changes) if changes
                              else self.contact)
        except AandachtError as err:
            self.banner.show_message(str(err))
            field = getattr(err, "field", None)
            if field in self.edits:
                self.edits[field].setFocus()
            return
        self.accept()


class ImportPreviewDialog(QDialog):
    """Every change an import would make, before anything is applied."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Sociale kaart inlezen")
        self.resize(620, 460)
        d = plan.diff
        if d.empty:
            summary = "Het bestand is gelijk aan uw sociale kaart; er verandert niets."
        else:
            summary = (f"Het bestand wijzigt uw sociale kaart: {len(d.added)} nieuw, "
                       f"{len(d.changed)} gewijzigd, {len(d.removed)} verwijderd. Controleer "
                       "de wijzigingen voordat u ze toepast.")
        label = QLabel(summary, objectName="importSummary")
        label.setWordWrap(True)
        self.lines = QListWidget(objectName="importLines")
        for line in d.lines():
            self.lines.addItem(line)
        for ch in d.changed:
            for f in ch.fields:
                old, new = getattr(ch.old, f), getattr(ch.new, f)
                if isinstance(old, bool):
                    old, new = ("ja" if old else "nee"), ("ja" if new else "nee")
                self.lines.addItem(f"    {ch.new.name} · {FIELD_LABELS[f]}: "
                                   f"‘{old or '—'}’ → ‘{new or '—'}’")
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("Wijzigingen toepassen",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(not d.empty)
        buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.lines, 1)
        layout.addWidget(buttons)


class SocialeKaartPage(QWidget):
    open_case = Signal(int)  # part of the page protocol; this page never opens a case

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.service = kaart_service(services)

        title = QLabel("Sociale kaart", objectName="pageTitle")
        source = self.service.source
        hint = QLabel(f"Standaard: {source.get('title', '')}. Pas contacten aan voor uw gemeente; "
                      "nummers die nog niet zijn gecontroleerd staan als ‘nummer nog niet "
                      "bevestigd’.", objectName="hint")
        hint.setWordWrap(True)

        self.model = ContactTableModel(self.service, self)
        self.table = QTableView(objectName="contactTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_ROLE, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.detail = QLabel(objectName="contactDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("QLabel { background:#faf9f7; border:1px solid #ddd8d0; "
                                  "border-radius:4px; padding:8px; }")

        self.edit_button = QPushButton("Bewerken…", objectName="editContact")
        self.edit_button.clicked.connect(self.edit_selected)
        self.confirm_button = QPushButton("Nummer bevestigen", objectName="confirmPhone")
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.add_button = QPushButton("Toevoegen…", objectName="addContact")
        self.add_button.clicked.connect(self.add_contact)
        self.remove_button = QPushButton("Verwijderen", objectName="removeContact")
        self.remove_button.clicked.connect(self.remove_selected)
        self.reset_button = QPushButton("Regionale standaard terugzetten",
                                        objectName="resetContact")
        self.reset_button.clicked.connect(self.reset_selected)
        self.export_button = QPushButton("Exporteren…", objectName="exportKaart")
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton("Importeren…", objectName="importKaart")
        self.import_button.clicked.connect(self.import_file)

        row = QHBoxLayout()
        for b in (self.edit_button, self.confirm_button, self.add_button, self.remove_button,
                  self.reset_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(row)
        self.refresh()

    # --- page protocol -----------------------------------------------------------------
    def refresh(self) -> None:
        keep = self.selected_id()
        try:
            self.model.reload()
        except AandachtError as err:
            self.model.clear()
            hooks.show_error(self, err)
        self.select(keep)
        self._selection_changed()

    def clear(self) -> None:
        self.model.clear()
        self.detail.clear()

    # --- selection -----------------------------------------------------------------------
    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.data(rows[0], Qt.ItemDataRole.UserRole)

    def select(self, contact_id: str | None) -> None:
        for r, c in enumerate(self.model.rows):
            if c.id == contact_id:
                self.table.selectRow(r)
                return
        self.table.clearSelection()

    def _selection_changed(self) -> None:
        cid = self.selected_id()
        contact = self.service.find(cid) if cid else None
        for b in (self.edit_button, self.confirm_button, self.remove_button, self.reset_button):
            b.setEnabled(contact is not None)
        if contact is None:
            self.detail.setText("Kies een contact om de gegevens te zien.")
            return
        self.confirm_button.setEnabled(bool(contact.phone) and not contact.verified)
        self.remove_button.setEnabled(not self.service.is_required(contact.id))
        self.remove_button.setToolTip("Dit contact staat in de routekaart en blijft op de kaart."
                                      if self.service.is_required(contact.id) else "")
        self.reset_button.setEnabled(self.service.is_default(contact.id)
                                     and self.service.is_changed(contact.id))
        parts = [f"<b>{html.escape(contact.name)}</b>", html.escape(contact.role)]
        phone = html.escape(contact.phone) if contact.phone else "—"
        parts.append(f"Telefoon: {phone} ({html.escape(contact.phone_status)})")
        for key in ("email", "website", "hours", "notes"):
            value = getattr(contact, key)
            if value:
                parts.append(f"{FIELD_LABELS[key]}: {html.escape(value)}")
        self.detail.setText("<br>".join(parts))

    # --- actions -------------------------------------------------------------------------
    def edit_selected(self) -> None:
        cid = self.selected_id()
        if cid is None:
            return
        dialog = ContactDialog(self.service, self.service.get(cid), self)
        if hooks.run_dialog(dialog):
            self.refresh()

    def add_contact(self) -> None:
        dialog = ContactDialog(self.service, None, self)
        if hooks.run_dialog(dialog) and dialog.saved is not None:
            self.model.reload()
            self.select(dialog.saved.id)
            self._selection_changed()

    def confirm_selected(self) -> None:
        cid = self.selected_id()
        if cid is None:
            return
        contact = self.service.get(cid)
        if not hooks.confirm(self, "Nummer bevestigen",
                             f"Heeft u gecontroleerd dat {contact.phone} het juiste nummer is "
                             f"van {contact.name}?"):
            return
        self._run(lambda: self.service.confirm_phone(cid))

    def remove_selected(self) -> None:
        cid = self.selected_id()
        if cid is None:
            return
        contact = self.service.get(cid)
        if not hooks.confirm(self, "Contact verwijderen",
                             f"{contact.name} van de sociale kaart van uw gemeente verwijderen?"):
            return
        self._run(lambda: self.service.remove(cid))

    def reset_selected(self) -> None:
        cid = self.selected_id()
        if cid is None:
            return
        if not hooks.confirm(self, "Regionale standaard terugzetten",
                             "De wijzigingen van uw gemeente aan dit contact vervallen. "
                             "Doorgaan?"):
            return
        self._run(lambda: self.service.reset(cid))

    def _run(self, action) -> None:
        try:
            action()
        except AandachtError as err:
            hooks.show_error(self, err)
        self.refresh()

    def export(self) -> None:
        path = hooks.ask_save_path(self, "Sociale kaart exporteren", "sociale_kaart.json",
                                   "Sociale kaart (*.json)")
        if not path:
            return
        try:
            written = self.service.export(path)
        except AandachtError as err:
            hooks.show_error(self, err)
            return
        hooks.inform(self, "Sociale kaart geëxporteerd",
                     f"De sociale kaart is opgeslagen in {written}. Het bestand bevat alleen "
                     "contacten, geen casusgegevens.")

    def import_file(self) -> None:
        path = hooks.ask_open_path(self, "Sociale kaart importeren", "Sociale kaart (*.json)")
        if not path:
            return
        try:
            plan = self.service.preview_import(path)
        except AandachtError as err:
            hooks.show_error(self, err, "Bestand niet ingelezen")
            return
        dialog = ImportPreviewDialog(plan, self)
        if not hooks.run_dialog(dialog) or plan.diff.empty:
            return
        try:
            self.service.apply_import(plan)
        except AandachtError as err:
            hooks.show_error(self, err)
        self.refresh()
