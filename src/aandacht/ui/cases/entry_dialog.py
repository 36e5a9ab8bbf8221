"""Timeline entries: how one reads (`entry_html`, `entry_summary`), the dialog that adds or
corrects one, and the dialog that shows a corrected entry's earlier versions."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.case import ENTRY_LABELS, MANUAL_KINDS, Entry, EntryKind
from aandacht.domain.errors import AandachtError
from aandacht.services.cases import consultation_entry
from aandacht.ui.cases import common

# Kinds the AF may correct by hand. Status, meldcode, route and handover lines are written
# by those features (and the disclosure log holds the handover record), so not here.
CORRECTABLE_KINDS = frozenset(MANUAL_KINDS) | {EntryKind.FOLLOWUP}

# Whom an AF typically consults (brief a.2, step 2); free text is allowed too.
CONSULT_SUGGESTIONS = (
    "Veilig Thuis",
    "SHOP zorgcoördinator",
    "SHOP Jeugd",
    "CoMensha helpdesk",
    "Collega (aandachtsfunctionaris)",
    "Collega (OOV)",
    "Functionaris gegevensbescherming (FG)",
    "Politie (AVIM)",
    "Nederlandse Arbeidsinspectie",
    "FairWork",
)

SOURCE_CHOICES = (
    ("", "niet ingevuld"),
    ("eigen_waarneming", "Eigen waarneming"),
    ("collega", "Via een collega"),
    ("van_horen_zeggen", "Van horen zeggen (derde)"),
)
SOURCE_TEXT = dict(SOURCE_CHOICES)

NEW_TITLES = {
    EntryKind.NOTITIE: "Notitie toevoegen",
    EntryKind.SIGNAAL: "Signaal vastleggen",
    EntryKind.CONSULTATIE: "Consultatie vastleggen",
    EntryKind.GESPREK: "Gesprek vastleggen",
    EntryKind.BESLUIT: "Besluit vastleggen",
}


# --- reading ----------------------------------------------------------------------------------
def entry_summary(entry: Entry, limit: int = 140) -> str:
    """One line for the list: the title, else the first line of the text."""
    for part in (entry.title, entry.facts, entry.body, entry.interpretation):
        if part and part.strip():
            line = part.strip()[: limit * 2].split("\n", 1)[0].strip()
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


def _block(heading: str, text: str) -> str:
    if not text:
        return ""
    return (f'<p style="margin:6px 0 2px 0;"><b>{html.escape(heading)}</b></p>'
            f'<p style="margin:0 0 4px 0;">{common.multiline_html(text)}</p>')


def entry_body_html(entry: Entry | object, kind: EntryKind, data: dict) -> str:
    """The text parts of an entry (or of an earlier version, which has no kind/data)."""
    parts = []
    if kind == EntryKind.CONSULTATIE and data:
        anon = "ja, zonder de persoon te noemen" if data.get("anonymous") else "nee"
        parts.append(f"<p style='margin:4px 0;'><b>Geconsulteerd:</b> "
                     f"{html.escape(data.get('with') or 'niet ingevuld')}<br>"
                     f"<b>Anoniem:</b> {anon}</p>")
        parts.append(_block("Advies", data.get("advice", "")))
        parts.append(_block("Afspraken", data.get("agreements", "")))
        return "".join(parts)
    if kind in (EntryKind.SIGNAAL, EntryKind.GESPREK):
        extra = []
        if data.get("with"):
            extra.append(f"<b>Met:</b> {html.escape(data['with'])}")
        if data.get("source"):
            extra.append(f"<b>Bron:</b> {html.escape(SOURCE_TEXT.get(data['source'], ''))}")
        if extra:
            parts.append("<p style='margin:4px 0;'>" + "<br>".join(extra) + "</p>")
    parts.append(_block("Feiten (gezien of gehoord)", getattr(entry, "facts", "")))
    parts.append(_block("Interpretatie en hypothesen", getattr(entry, "interpretation", "")))
    heading = {EntryKind.BESLUIT: "Onderbouwing", EntryKind.FOLLOWUP: "Toelichting"}.get(
        kind, "Tekst")
    parts.append(_block(heading, getattr(entry, "body", "")))
    return "".join(p for p in parts if p)


def entry_html(entry: Entry) -> str:
    head = (f"<h3 style='margin:0;'>{html.escape(ENTRY_LABELS[entry.kind])} · "
            f"{common.nl_date(entry.occurred_on)}</h3>")
    if entry.title:
        head += ("<p style='margin:2px 0 6px 0; font-size:large;'>"
                 f"{common.multiline_html(entry.title)}</p>")
    if entry.history:
        head += ("<p style='margin:2px 0;'>"
                 + common.tag_html(f"gecorrigeerd ({len(entry.history)}×)", "warning")
                 + " &nbsp;<a href='history'>eerdere versies bekijken</a></p>")
    body = entry_body_html(entry, entry.kind, entry.data)
    if not body and not entry.title:
        body = "<p style='color:#666;'>(geen tekst)</p>"
    return head + body


VERSION_PARTS = (("occurred_on", "datum"), ("title", "titel"), ("facts", "feiten"),
                 ("interpretation", "interpretatie"), ("body", "tekst"))


def _changed_parts(older, newer) -> list[str]:
    return [name for attr, name in VERSION_PARTS if getattr(older, attr) != getattr(newer, attr)]


def history_html(entry: Entry) -> str:
    out = [f"<h3>{html.escape(ENTRY_LABELS[entry.kind])}: huidige versie</h3>",
           _version_html(entry, entry.kind, {})]
    versions = list(entry.history) + [entry]
    for n in range(len(entry.history), 0, -1):
        version = versions[n - 1]
        changed = _changed_parts(version, versions[n])
        out.append(f"<hr><h3>Versie {n} · vervangen op "
                   f"{version.saved_at.strftime('%d-%m-%Y %H:%M')}</h3>")
        if changed:
            out.append("<p style='margin:2px 0;'>"
                       + common.tag_html("daarna gewijzigd: " + ", ".join(changed), "warning")
                       + "</p>")
        out.append(_version_html(version, entry.kind, {}))
    return "".join(out)


def _version_html(v, kind: EntryKind, data: dict) -> str:
    # Earlier versions keep their text (title, facts, interpretation, body), not `data`:
    # a consultation's readable body is what the history shows for it.
    parts = [f"<p style='margin:2px 0;'><b>Datum:</b> {common.nl_date(v.occurred_on)}</p>"]
    if v.title:
        parts.append(_block("Titel", v.title))
    parts.append(entry_body_html(v, kind if kind != EntryKind.CONSULTATIE else EntryKind.NOTITIE,
                                 data))
    return "".join(parts)


# --- the dialogs --------------------------------------------------------------------------------
class EntryDialog(QDialog):
    """`EntryDialog(services, case_id, kind, entry=None, parent=None)`: adds a new entry of
    `kind`, or, with `entry`, saves a correction through `correct_entry` (the earlier version
    stays in the history)."""

    def __init__(self, services, case_id: int, kind: EntryKind, entry: Entry | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.kind = kind
        self.original = entry
        self.entry: Entry | None = None
        self.setWindowTitle(f"{ENTRY_LABELS[kind]} corrigeren" if entry else NEW_TITLES.get(
            kind, ENTRY_LABELS[kind]))
        self.resize(640, 560)
        data = entry.data if entry else {}

        self.error = common.ErrorBanner(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.date_edit = common.make_date_edit(
            entry.occurred_on if entry else services.cases.today(), self)
        form.addRow("Datum", self.date_edit)

        self.title_edit = QLineEdit(entry.title if entry else "", self)
        self.with_edit: QComboBox | None = None
        self.anonymous_check: QCheckBox | None = None
        self.source_combo: QComboBox | None = None
        self.facts_edit: QPlainTextEdit | None = None
        self.interpretation_edit: QPlainTextEdit | None = None
        self.body_edit: QPlainTextEdit | None = None
        self.advice_edit: QPlainTextEdit | None = None
        self.agreements_edit: QPlainTextEdit | None = None
        hint_text = ""

        if kind == EntryKind.CONSULTATIE:
            self.title_edit.hide()  # the title is made from "met wie"
            self.with_edit = QComboBox(self)
            self.with_edit.setEditable(True)
            self.with_edit.addItems(CONSULT_SUGGESTIONS)
            self.with_edit.setCurrentText(data.get("with", ""))
            self.with_edit.lineEdit().setPlaceholderText(
                "organisatie of rol; een naam is niet nodig")
            form.addRow("Met wie", self.with_edit)
            self.anonymous_check = QCheckBox("Anoniem geconsulteerd (zonder de persoon te noemen)",
                                             self)
            self.anonymous_check.setChecked(bool(data.get("anonymous", True)))
            form.addRow("", self.anonymous_check)
            self.advice_edit = self._text(data.get("advice", ""), "welk advies kreeg je?", 180)
            form.addRow("Advies", self.advice_edit)
            self.agreements_edit = self._text(data.get("agreements", ""),
                                              "wie doet wat, en wanneer (optioneel)", 70)
            form.addRow("Afspraken", self.agreements_edit)
            hint_text = "Meldcode stap 2: leg vast wie je raadpleegde, of dat anoniem was en wat " \
                        "het advies was."
        elif kind in (EntryKind.SIGNAAL, EntryKind.GESPREK):
            self.title_edit.setPlaceholderText("korte omschrijving (optioneel)")
            form.addRow("Titel", self.title_edit)
            if kind == EntryKind.GESPREK:
                self.with_edit = QComboBox(self)
                self.with_edit.setEditable(True)
                self.with_edit.addItems(("Betrokkene", "Betrokkene met tolk", "Collega",
                                         "Melder"))
                self.with_edit.setCurrentText(data.get("with", ""))
                form.addRow("Met wie", self.with_edit)
            else:
                self.source_combo = QComboBox(self)
                for value, label in SOURCE_CHOICES:
                    self.source_combo.addItem(label, value)
                i = self.source_combo.findData(data.get("source", ""))
                self.source_combo.setCurrentIndex(max(i, 0))
                form.addRow("Bron", self.source_combo)
            self.facts_edit = self._text(entry.facts if entry else "",
                                         "wat is gezien of gehoord, wanneer, door wie")
            form.addRow("Feiten", self.facts_edit)
            self.interpretation_edit = self._text(entry.interpretation if entry else "",
                                                  "wat denk je dat het betekent; wat spreekt "
                                                  "het vermoeden tegen?")
            form.addRow("Interpretatie", self.interpretation_edit)
            hint_text = "Houd feiten en interpretaties gescheiden (meldcode stap 1). Noteer ook " \
                        "wat het vermoeden tegenspreekt."
        elif kind == EntryKind.BESLUIT:
            self.title_edit.setPlaceholderText("wat is besloten")
            form.addRow("Besluit", self.title_edit)
            self.body_edit = self._text(entry.body if entry else "", "waarom; wie besliste mee")
            form.addRow("Onderbouwing", self.body_edit)
        else:  # notitie, or a completed follow-up being corrected
            self.title_edit.setPlaceholderText("korte titel (optioneel)")
            form.addRow("Titel", self.title_edit)
            self.body_edit = self._text(entry.body if entry else "", "")
            form.addRow("Toelichting" if kind == EntryKind.FOLLOWUP else "Notitie", self.body_edit)

        lay = QVBoxLayout(self)
        lay.addWidget(self.error)
        if hint_text:
            hint = QLabel(hint_text, self)
            hint.setWordWrap(True)
            hint.setStyleSheet("color:#52606d;")
            lay.addWidget(hint)
        if entry is not None:
            note = QLabel("De huidige tekst blijft als eerdere versie bewaard; de regel krijgt "
                          "de markering ‘gecorrigeerd’.", self)
            note.setWordWrap(True)
            note.setStyleSheet("color:#52606d;")
            lay.addWidget(note)
        lay.addLayout(form)
        lay.addStretch(1)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(
            "Correctie opslaan" if entry else "Opslaan", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _text(self, value: str, placeholder: str, height: int | None = None) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setPlainText(value)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        if height:
            edit.setMaximumHeight(height)
        return edit

    @staticmethod
    def _val(edit) -> str:
        return edit.toPlainText() if edit is not None else ""

    def build(self) -> Entry:
        """The entry as the widgets describe it (not yet saved)."""
        when = common.from_qdate(self.date_edit.date())
        if self.kind == EntryKind.CONSULTATIE:
            return consultation_entry(
                self.case_id, when, self.with_edit.currentText(),
                self.anonymous_check.isChecked(), self._val(self.advice_edit),
                self._val(self.agreements_edit))
        data = dict(self.original.data) if self.original else {}
        title = self.title_edit.text().strip()
        if self.kind == EntryKind.GESPREK:
            data["with"] = self.with_edit.currentText().strip()
            if not title and data["with"]:
                title = f"Gesprek met {data['with'].lower()}"
        if self.kind == EntryKind.SIGNAAL:
            data["source"] = self.source_combo.currentData() or ""
        return Entry(None, self.case_id, self.kind, when, title=title,
                     facts=self._val(self.facts_edit),
                     interpretation=self._val(self.interpretation_edit),
                     body=self._val(self.body_edit), data=data)

    def save(self) -> bool:
        new = self.build()
        try:
            if self.original is None:
                self.entry = self.services.cases.add_entry(new)
            else:
                self.entry = self.services.cases.correct_entry(
                    self.original.id, occurred_on=new.occurred_on, title=new.title,
                    facts=new.facts, interpretation=new.interpretation, body=new.body,
                    data=new.data)
        except AandachtError as err:
            self.error.show_message(str(err))
            return False
        self.error.clear_message()
        self.accept()
        return True


class HistoryDialog(QDialog):
    """The current text of a corrected entry above every earlier version, newest first."""

    def __init__(self, entry: Entry, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Eerdere versies")
        self.resize(620, 560)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setHtml(history_html(entry))
        intro = QLabel(f"Deze regel is {len(entry.history)} keer gecorrigeerd. Eerdere versies "
                       "blijven bewaard en zijn niet te wijzigen.", self)
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)

    def text(self) -> str:
        return self.browser.toPlainText()

