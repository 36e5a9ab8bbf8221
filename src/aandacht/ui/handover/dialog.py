"""The overdracht dialog: choose what goes out, see the real sheet, then save or print.

The minimal sheet is the easy path: every `allowed` field is ticked, nothing else.
A field that needs a ground stays locked (with the reason) until a ground is recorded
through "Grondslag vastleggen…"; a `never` field is shown greyed out with its reason.
The preview is the real PDF, built in memory and shown with QtPdf from a QBuffer:
nothing is written to disk until the AF confirms and chooses "Opslaan als PDF…" or
"Afdrukken…", and only then is the disclosure logged.

All rules live in the domain and the service; this module only shows their answers.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QBuffer, QByteArray, QEventLoop, QIODevice, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.errors import AandachtError, ValidationError
from aandacht.domain.handover import GROUND_KINDS, FieldState, Ground, HandoverForm
from aandacht.ui import dialogs
from aandacht.ui.handover import handover_service

PREVIEW_DELAY_MS = 250  # typing pauses this long before the sheet is rebuilt
PRINT_DPI = 300  # pages are rendered at this resolution for the printer
NOTE_STYLES = {
    "allowed": "color:#52606d;",
    "unlocked": "color:#1d5a2a;",
    "locked": "color:#8a5a00;",
    "never": "color:#7b6f6a;",
}


# --- modal hooks: tests replace these instead of blocking in exec() --------------------------
def run_modal(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_save_path(parent: QWidget | None, title: str, default_name: str) -> str:
    dlg = QFileDialog(parent, title)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dlg.setNameFilter("PDF-bestand (*.pdf)")
    dlg.setDefaultSuffix("pdf")
    dlg.selectFile(default_name)
    # The platform dialog may add the file to the desktop's "recent files" list.
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if dlg.exec() != QDialog.DialogCode.Accepted or not dlg.selectedFiles():
        return ""
    return dlg.selectedFiles()[0]


def ask_printer(parent: QWidget | None, printer: QPrinter) -> bool:
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle("Overdracht afdrukken")
    return dlg.exec() == QDialog.DialogCode.Accepted


def show_error(parent: QWidget | None, err: Exception | str) -> None:
    dialogs.warn(parent, "Dat lukte niet", str(err))


def confirm(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    return dialogs.confirm(parent, title, text, yes=yes, no=no)


# --- small helpers ---------------------------------------------------------------------------
def date_to_text(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%d-%m-%Y") if value else ""
    except ValueError:
        return value


def text_to_date(text: str) -> str:
    """dd-mm-jjjj (also with / or .) or ISO → ISO; anything else is passed on for the
    domain to refuse with its own sentence."""
    text = (text or "").strip()
    if not text:
        return ""
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text


def load_pdf(document: QPdfDocument, pdf: bytes, parent) -> QBuffer:
    """Load PDF bytes into a QPdfDocument from memory; the buffer must outlive the load."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() == QPdfDocument.Status.Loading:
        loop = QEventLoop()
        document.statusChanged.connect(loop.quit)
        QTimer.singleShot(5000, loop.quit)
        loop.exec()
    return buffer


def print_pdf(pdf: bytes, printer: QPrinter) -> None:
    """Paint every page of the PDF on the printer; a failure is a Dutch ValidationError."""
    document = QPdfDocument()
    buffer = load_pdf(document, pdf, None)
    fail = ValidationError("De printer kon het blad niet afdrukken. Controleer de printer en "
                           "probeer opnieuw. Er is niets vastgelegd in het verstrekkingenlog.")
    try:
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            raise fail
        painter = QPainter()
        if not painter.begin(printer):
            raise fail
        try:
            for page in range(document.pageCount()):
                if page and not printer.newPage():
                    raise fail
                points = document.pagePointSize(page)
                image = document.render(page, QSize(round(points.width() / 72 * PRINT_DPI),
                                                    round(points.height() / 72 * PRINT_DPI)))
                if image.isNull():
                    raise fail
                area = painter.viewport()
                scale = min(area.width() / image.width(), area.height() / image.height())
                w, h = int(image.width() * scale), int(image.height() * scale)
                painter.drawImage(QRect(area.x() + (area.width() - w) // 2, area.y(), w, h), image)
        finally:
            painter.end()
        if printer.printerState() == QPrinter.PrinterState.Error:
            raise fail
    finally:
        document.close()
        buffer.close()


def _hint(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


# --- the ground sub-dialog ---------------------------------------------------------------------
class GroundDialog(QDialog):
    """Record one ground (grondslag) for this case and recipient, with what it must record.

    On an error the dialog stays open with a message; nothing typed is lost.
    """

    def __init__(self, svc, case_id: int, form: HandoverForm, parent: QWidget | None = None,
                 kind: str | None = None):
        super().__init__(parent)
        self.svc = svc
        self.case_id = case_id
        self.form = form
        self.ground: Ground | None = None
        self.setWindowTitle(f"Grondslag vastleggen ({form.short})")
        self.resize(640, 700)
        self.kind_combo = QComboBox(self)
        # Grounds the gemeente has not switched on (e.g. consent to SHOP) are not offered.
        disabled = svc.disabled_grounds(form.id)
        self.kinds = tuple(k for k in form.ground_kinds if k not in disabled)
        for k in self.kinds:
            self.kind_combo.addItem(GROUND_KINDS[k].label, k)
        self.stack = QStackedWidget(self)
        self.detail_widgets: dict[str, dict[str, QWidget]] = {}
        for k in self.kinds:
            self.stack.addWidget(self._kind_page(k))
        self.kind_combo.currentIndexChanged.connect(self.stack.setCurrentIndex)
        self.decided_by = QLineEdit(str(svc.settings.get("af_naam", "") or ""), self)
        self.motivation = QPlainTextEdit(self)
        self.motivation.setPlaceholderText(
            "Waarom is deze verstrekking nodig en gerechtvaardigd? Waarom is minder niet genoeg?")
        self.motivation.setMinimumHeight(90)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        self.ok_button = QPushButton("Grondslag vastleggen", self)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        cancel = QPushButton("Annuleren", self)
        cancel.clicked.connect(self.reject)

        intro = _hint(
            "Een grondslag is een besluit dat u vastlegt: wie besliste, wanneer en waarom. Pas "
            "daarna kunnen de bijbehorende gegevens mee. Het besluit komt ook in de tijdlijn "
            "van de casus en, ingekort, op het blad; noem in de motivering geen namen.", self)
        top = QFormLayout()
        top.addRow("Soort grondslag", self.kind_combo)
        bottom = QFormLayout()
        bottom.addRow("Besloten door", self.decided_by)
        bottom.addRow("Motivering", self.motivation)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(top)
        lay.addWidget(self.stack, 1)
        lay.addLayout(bottom)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        if kind in self.kinds:
            self.kind_combo.setCurrentIndex(self.kinds.index(kind))

    def _kind_page(self, kind: str) -> QWidget:
        spec = GROUND_KINDS[kind]
        page = QWidget(self)
        form = QFormLayout()
        widgets: dict[str, QWidget] = {}
        for d in spec.details:
            label = d.label + ("" if d.required or d.kind == "bool" else " (optioneel)")
            if d.kind == "longtext":
                w = QPlainTextEdit(page)
                w.setMinimumHeight(56)
                form.addRow(_hint(label, page))
                form.addRow(w)
            elif d.kind == "bool":
                w = QCheckBox(label, page)
                form.addRow(w)
            elif d.kind == "fields":
                w = QWidget(page)
                box = QVBoxLayout(w)
                box.setContentsMargins(0, 0, 0, 0)
                for f in self.form.fields:
                    if kind in f.grounds:
                        cb = QCheckBox(f.label, w)
                        cb.setProperty("field_id", f.id)
                        box.addWidget(cb)
                form.addRow(_hint(label, page))
                form.addRow(w)
            else:
                w = QLineEdit(page)
                if d.kind == "date":
                    w.setPlaceholderText("dd-mm-jjjj")
                    if d.required:
                        w.setText(dt.date.today().strftime("%d-%m-%Y"))
                form.addRow(label, w)
            w.setObjectName(f"detail_{d.key}")
            widgets[d.key] = w
        self.detail_widgets[kind] = widgets
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(_hint(spec.explanation, page))
        legal = QLabel(f"<i>Op het blad: {html.escape(self.form.ground_legal[kind])}</i>", page)
        legal.setWordWrap(True)
        lay.addWidget(legal)
        lay.addLayout(form)
        lay.addStretch(1)
        return page

    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    def details(self) -> dict:
        out: dict = {}
        for d in GROUND_KINDS[self.kind].details:
            w = self.detail_widgets[self.kind][d.key]
            if isinstance(w, QCheckBox):
                out[d.key] = w.isChecked()
            elif isinstance(w, QPlainTextEdit):
                out[d.key] = w.toPlainText()
            elif isinstance(w, QLineEdit):
                out[d.key] = text_to_date(w.text()) if d.kind == "date" else w.text()
            else:
                out[d.key] = [cb.property("field_id") for cb in w.findChildren(QCheckBox)
                              if cb.isChecked()]
        return out

    def submit(self) -> bool:
        try:
            self.ground = self.svc.record_ground(
                self.case_id, self.form.id, self.kind, self.motivation.toPlainText(),
                self.decided_by.text(), self.details())
        except AandachtError as err:
            self.error.setText(str(err))
            self.error.show()
            return False
        self.accept()
        return True


# --- the dialog ----------------------------------------------------------------------------------
class HandoverDialog(QDialog):
    def __init__(self, services, case_id: int, form_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.svc = handover_service(services)
        self.case_id = case_id
        self.form = self.svc.form(form_id)
        # No case label in window titles (they show up in task bars and screen sharing).
        self.setWindowTitle(f"Overdracht aan {self.form.short}")
        self.resize(1320, 900)
        self._number = self.svc.new_number(form_id)
        self._number_used = False
        self.prepared = None
        self._buffer: QBuffer | None = None
        self.checks: dict[str, QCheckBox] = {}
        self.notes: dict[str, QLabel] = {}
        self.states: dict[str, FieldState] = {}
        self.input_widgets: dict[str, QWidget] = {}
        self.recorded: list = []  # disclosure records made from this dialog
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)

        self._build()
        self._load_inputs()
        self.load_states(initial=True)
        self.update_preview()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        title = QLabel(html.escape(self.form.title), self)
        title.setObjectName("pageTitle")
        purpose = _hint(f"Doel: {self.form.purpose}", self)

        left = QWidget(self)
        left_lay = QVBoxLayout(left)
        left_lay.addWidget(self._build_request_box(left))
        left_lay.addWidget(self._build_grounds_box(left))
        for section in self.form.sections:
            left_lay.addWidget(self._build_section(section, left))
        left_lay.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(470)

        right = QWidget(self)
        self.preview_title = QLabel("<b>Voorbeeld van het blad</b>", right)
        self.preview_error = QLabel(right)
        self.preview_error.setObjectName("errorText")
        self.preview_error.setWordWrap(True)
        self.preview_error.hide()
        self.document = QPdfDocument(self)
        self.view = QPdfView(right)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setMinimumWidth(480)
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addWidget(self.preview_title)
        right_lay.addWidget(self.preview_error)
        right_lay.addWidget(self.view, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        split.setChildrenCollapsible(False)

        self.confirm_box = QCheckBox(
            f"Ik heb het blad bekeken: alleen deze gegevens gaan naar {self.form.short}.", self)
        self.confirm_box.toggled.connect(self._update_buttons)
        self.save_button = QPushButton("Opslaan als PDF…", self)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton("Afdrukken…", self)
        self.print_button.clicked.connect(self.print_sheet)
        close = QPushButton("Sluiten", self)
        close.clicked.connect(self.reject)
        for button in (self.save_button, self.print_button, close):
            button.setAutoDefault(False)  # Enter in a text field must not give anything out
        self.status = _hint("Er is nog niets verstrekt. Pas bij opslaan of afdrukken komt de "
                            "verstrekking in het verstrekkingenlog.", self)
        bar = QHBoxLayout()
        bar.addWidget(self.confirm_box, 1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.print_button)
        bar.addWidget(close)

        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(purpose)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)
        lay.addLayout(bar)

    def _build_request_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Verzoek en aanvullende gegevens voor dit blad", parent)
        form = QFormLayout(box)
        if self.form.request_types:
            self.request_combo = QComboBox(box)
            for rt in self.form.request_types:
                self.request_combo.addItem(rt.label, rt.id)
            self.request_help = _hint("", box)
            self.request_combo.currentIndexChanged.connect(self._request_changed)
            form.addRow("Soort verzoek", self.request_combo)
            form.addRow(self.request_help)
        else:
            self.request_combo = None
        for spec in self.form.inputs:
            if spec.kind == "longtext":
                w = QPlainTextEdit(box)
                w.setFixedHeight(72)
                w.textChanged.connect(self._changed)
            else:
                w = QLineEdit(box)
                if spec.kind == "date":
                    w.setPlaceholderText("dd-mm-jjjj")
                w.textChanged.connect(self._changed)
            w.setObjectName(f"input_{spec.id}")
            if spec.hint:
                w.setToolTip(spec.hint)
            self.input_widgets[spec.id] = w
            form.addRow(spec.label, w)
            if spec.hint:
                form.addRow(_hint(spec.hint, box))
        return box

    def _build_grounds_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Vastgelegde grondslagen", parent)
        self.grounds_lay = QVBoxLayout(box)
        self.grounds_list = QVBoxLayout()
        self.grounds_lay.addLayout(self.grounds_list)
        self.ground_button = QPushButton("Grondslag vastleggen…", box)
        self.ground_button.setAutoDefault(False)  # the minimal sheet stays the easy path
        self.ground_button.clicked.connect(self.record_ground)
        row = QHBoxLayout()
        row.addWidget(self.ground_button)
        row.addStretch(1)
        self.grounds_lay.addLayout(row)
        return box

    def _build_section(self, section, parent: QWidget) -> QGroupBox:
        box = QGroupBox(section.title, parent)
        lay = QVBoxLayout(box)
        lay.setSpacing(2)
        for rule in section.fields:
            cb = QCheckBox(rule.label, box)
            cb.setObjectName(f"field_{rule.id}")
            cb.toggled.connect(self._changed)
            note = QLabel(box)
            note.setWordWrap(True)
            note.setContentsMargins(22, 0, 0, 4)
            note.setObjectName(f"note_{rule.id}")
            lay.addWidget(cb)
            lay.addWidget(note)
            self.checks[rule.id] = cb
            self.notes[rule.id] = note
        return box

    # ------------------------------------------------------------------ state
    def _load_inputs(self) -> None:
        try:
            values = self.svc.default_inputs(self.case_id, self.form.id)
        except AandachtError as err:
            show_error(self, err)
            values = {}
        if self.request_combo is not None:
            idx = self.request_combo.findData(values.get("request_type"))
            self.request_combo.setCurrentIndex(max(idx, 0))
            self._request_changed()
        for spec in self.form.inputs:
            w = self.input_widgets[spec.id]
            value = values.get(spec.id, "")
            if isinstance(w, QPlainTextEdit):
                w.setPlainText(value)
            else:
                w.setText(date_to_text(value) if spec.kind == "date" else value)

    def load_states(self, initial: bool = False) -> None:
        """Ask the service how every field stands; the UI only mirrors the answer."""
        self.states = {s.rule.id: s for s in self.svc.field_states(self.case_id, self.form.id)}
        for fid, state in self.states.items():
            cb, note = self.checks[fid], self.notes[fid]
            blocked = cb.blockSignals(True)
            cb.setEnabled(state.selectable)
            if initial:
                cb.setChecked(state.status == "allowed")
            elif not state.selectable:
                cb.setChecked(False)
            cb.blockSignals(blocked)
            prefix = "Nooit op dit blad. " if state.status == "never" else ""
            note.setText(prefix + state.note)
            note.setStyleSheet(f"QLabel {{ {NOTE_STYLES[state.status]} font-size:8.5pt; }}")
            note.setVisible(bool(note.text()))
            cb.setToolTip(prefix + state.note)
        self._fill_grounds()

    def _fill_grounds(self) -> None:
        while self.grounds_list.count():
            item = self.grounds_list.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        grounds = self.svc.grounds(self.case_id, self.form.id, active_only=True)
        if not grounds:
            self.grounds_list.addWidget(_hint(
                "Geen. Het blad bevat alleen de minimale gegevens. Leg een grondslag vast als "
                "meer nodig is (bijvoorbeeld vitaal belang of toestemming).", self))
        for g in grounds:
            row = QWidget(self)
            row_lay = QHBoxLayout(row)
            row_lay.setContentsMargins(0, 0, 0, 0)
            text = QLabel(f"<b>{html.escape(g.label)}</b>, {g.recorded_at:%d-%m-%Y}, besloten "
                          f"door {html.escape(g.decided_by)}", row)
            text.setWordWrap(True)
            text.setToolTip(g.motivation)
            withdraw = QPushButton("Intrekken…", row)
            withdraw.setAutoDefault(False)
            withdraw.setObjectName(f"withdraw_{g.id}")
            withdraw.clicked.connect(lambda _=False, gid=g.id: self.withdraw_ground(gid))
            row_lay.addWidget(text, 1)
            row_lay.addWidget(withdraw)
            self.grounds_list.addWidget(row)
        self.ground_button.setEnabled(
            bool(set(self.form.ground_kinds) - self.svc.disabled_grounds(self.form.id)))

    def requested(self) -> set[str]:
        return {fid for fid, cb in self.checks.items() if cb.isChecked() and cb.isEnabled()}

    def inputs(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.request_combo is not None:
            out["request_type"] = self.request_combo.currentData()
        for spec in self.form.inputs:
            w = self.input_widgets[spec.id]
            text = w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()
            out[spec.id] = text_to_date(text) if spec.kind == "date" else text
        return out

    def _request_changed(self, *_args) -> None:
        if self.request_combo is not None:
            rt = self.form.request_type(self.request_combo.currentData())
            self.request_help.setText(rt.help)
        self._changed()

    def _changed(self, *_args) -> None:
        """Something on the sheet changed: the AF must look again before it goes out."""
        self.confirm_box.setChecked(False)
        self._timer.start()
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        ready = (self.prepared is not None and self.confirm_box.isChecked()
                 and not self._timer.isActive())
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready)
        self.confirm_box.setEnabled(self.prepared is not None)

    # ------------------------------------------------------------------ preview
    def update_preview(self) -> None:
        self._timer.stop()
        if self._number_used:  # a changed sheet after a disclosure gets a fresh number
            self._number = self.svc.new_number(self.form.id)
            self._number_used = False
        try:
            prepared = self.svc.prepare(self.case_id, self.form.id, self.requested(),
                                        self.inputs(), number=self._number)
        except AandachtError as err:
            self.prepared = None
            self.preview_error.setText(f"Het blad kan nog niet worden gemaakt: {err}")
            self.preview_error.show()
            self.document.close()
            self._update_buttons()
            return
        self.prepared = prepared
        self.preview_error.hide()
        old = self._buffer
        self.document.close()
        self._buffer = load_pdf(self.document, prepared.pdf, self)
        if old is not None:
            old.close()
            old.deleteLater()
        pages = self.document.pageCount()
        plural = "pagina" if pages == 1 else "pagina's"
        self.preview_title.setText(
            f"<b>Voorbeeld van het blad</b> &nbsp; bladnummer {html.escape(prepared.number)}, "
            f"{pages} {plural}, {len(prepared.selection.fields)} gegevens")
        self._update_buttons()

    # ------------------------------------------------------------------ grounds
    def record_ground(self) -> None:
        dlg = GroundDialog(self.svc, self.case_id, self.form, self)
        if not run_modal(dlg) or dlg.ground is None:
            return
        before = {fid for fid, s in self.states.items() if s.selectable}
        self.load_states()
        self._leave_minimal_only_request()
        # The AF recorded the ground to share these fields: tick what it newly opened.
        for fid, s in self.states.items():
            if s.selectable and fid not in before and s.ground is not None \
                    and s.ground.id == dlg.ground.id:
                self.checks[fid].setChecked(True)
        self._changed()

    def _leave_minimal_only_request(self) -> None:
        """A ground is recorded to share more: an anonymous-only request type cannot carry
        that, so switch to the first request type that can (the AF sees it change)."""
        if self.request_combo is None:
            return
        if not self.form.request_type(self.request_combo.currentData()).minimal_only:
            return
        for i, rt in enumerate(self.form.request_types):
            if not rt.minimal_only:
                self.request_combo.setCurrentIndex(i)
                return

    def withdraw_ground(self, ground_id: int) -> None:
        if not confirm(self, "Grondslag intrekken",
                       "De grondslag intrekken? De gegevens die hij vrijgaf, gaan dan niet meer "
                       "mee. Eerdere verstrekkingen blijven in het log staan.",
                       yes="Intrekken", no="Annuleren"):
            return
        try:
            self.svc.withdraw_ground(ground_id)
        except AandachtError as err:
            show_error(self, err)
            return
        self.load_states()
        self._changed()

    # ------------------------------------------------------------------ giving out
    def _ready(self):
        if self._timer.isActive():
            self.update_preview()
        if self.prepared is None or not self.confirm_box.isChecked():
            return None
        return self.prepared

    def save_pdf(self) -> None:
        prepared = self._ready()
        if prepared is None:
            return
        name = f"overdracht_{self.form.id}_{prepared.number}.pdf"
        path = ask_save_path(self, "Overdracht opslaan als PDF", name)
        if not path:
            return
        try:
            record = self.svc.save(prepared, path)
        except AandachtError as err:
            show_error(self, err)
            return
        self._recorded(record, f"opgeslagen als {path}")

    def print_sheet(self) -> None:
        prepared = self._ready()
        if prepared is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFullPage(True)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName("Overdracht")  # print queues show this; nothing about the case
        if not ask_printer(self, printer):
            return
        try:
            record = self.svc.record_printed(prepared, lambda pdf: print_pdf(pdf, printer))
        except AandachtError as err:
            show_error(self, err)
            return
        self._recorded(record, "afgedrukt")

    def _recorded(self, record, what: str) -> None:
        self.recorded.append(record)
        self._number_used = True
        self.status.setText(f"Blad {self.prepared.number} {what}. Vastgelegd in het "
                            f"verstrekkingenlog als nr. {record.seq} en in de tijdlijn.")

    # ------------------------------------------------------------------ lock
    def clear(self) -> None:
        """Called on lock: drop the sheet and every typed value, then close."""
        self._timer.stop()
        self.prepared = None
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.setData(QByteArray())
        for w in self.input_widgets.values():
            w.clear()
        self.reject()
