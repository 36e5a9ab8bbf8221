"""Field editors for the meldcode pages, built from the content's field types.

Every editor gives `value()` in the domain's JSON shape (ISO dates, None for an
unanswered ja/nee) and takes it back with `set_value()`. The editors hold no rules:
which fields count, what is required and what is allowed comes from the domain.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain import meldcode as mc

class Notify:
    """A plain-Python change callback list, used instead of Qt signals inside the page.

    PySide6 6.12.0 on CPython 3.11 drops a reference to `True` on every `Signal.emit()`
    from Python (and one to `None` on every call of a void Qt method); after ~1,400 emits
    the interpreter aborts (`bool_dealloc`). Change notices fire on every click, so they
    stay out of Qt, and the page only touches widgets whose state really changes.
    """

    def __init__(self) -> None:
        self._callbacks: list = []

    def connect(self, fn) -> None:
        self._callbacks.append(fn)

    def __call__(self, *_args) -> None:
        for fn in list(self._callbacks):
            fn()


def set_visible(widget: QWidget, visible: bool) -> None:
    """setVisible only when it changes (each Qt call from Python costs; see Notify)."""
    if widget.isHidden() == visible:
        widget.setVisible(visible)


def set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


INVALID_STYLE = "border: 1px solid #b42318; background: #fff6f5;"
_DATE_RE = re.compile(r"^\s*(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})\s*$")


def hint_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def note_label(text: str, kind: str = "info", parent: QWidget | None = None) -> QLabel:
    """A boxed note: 'info' (neutral), 'warning' (a hint the AF must weigh), 'ok'."""
    colours = {
        "info": "background:#f3f1ee; color:#1f2933; border:1px solid #ddd8d0;",
        "warning": "background:#fff4e5; color:#5c3300; border:1px solid #f0c98a;",
        "decision": "background:#f9e8ee; color:#5a1329; border:1px solid #e3b5c5;",
    }[kind]
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"QLabel {{ {colours} border-radius:4px; padding:6px 8px; }}")
    return label


def parse_date(text: str) -> str:
    """'2-4-2024' → '2024-04-02'; anything unparsable is passed on for the domain to refuse."""
    text = (text or "").strip()
    if not text:
        return ""
    m = _DATE_RE.match(text)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            return text
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return text


class DateLine(QLineEdit):
    """A date typed as dd-mm-jjjj; empty is allowed (the domain decides if it must be set)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.changed = Notify()  # a date drives no rule while typing
        self.setPlaceholderText("dd-mm-jjjj")
        self.setMaximumWidth(130)

    def value(self) -> str:
        return parse_date(self.text())

    def set_value(self, value: Any) -> None:
        self.setText(mc.format_date(value) if value else "")


class ChoiceCombo(QComboBox):
    """A choice with an explicit '— kies —' so 'not answered' stays visible."""

    EMPTY = "— kies —"

    def __init__(self, choices: Sequence[mc.Choice], parent: QWidget | None = None):
        super().__init__(parent)
        self.changed = Notify()
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._choices: tuple[mc.Choice, ...] = ()
        self.set_choices(choices)
        self.currentIndexChanged.connect(self.changed)

    def set_choices(self, choices: Sequence[mc.Choice]) -> None:
        """Offer only these choices; a current value no longer offered is dropped."""
        if tuple(choices) == self._choices and self.count():
            return
        current = self.value()
        blocked = self.blockSignals(True)
        self.clear()
        self.addItem(self.EMPTY, "")
        for c in choices:
            self.addItem(c.label, c.value)
        self._choices = tuple(choices)
        self.blockSignals(blocked)
        self.set_value(current)

    def offered(self) -> list[str]:
        return [c.value for c in self._choices]

    def value(self) -> str:
        data = self.currentData()
        return data if isinstance(data, str) else ""

    def set_value(self, value: Any) -> None:
        i = max(self.findData(value if isinstance(value, str) else ""), 0)
        if i != self.currentIndex():
            self.setCurrentIndex(i)


class BoolCombo(QComboBox):
    # Item data are strings: PySide6 6.12 loses a reference to None stored as item data
    # (currentData() on a None item eventually crashes the interpreter).
    _TO_BOOL = {"": None, "ja": True, "nee": False}

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.changed = Notify()
        self.addItem(ChoiceCombo.EMPTY, "")
        self.addItem("Ja", "ja")
        self.addItem("Nee", "nee")
        self.currentIndexChanged.connect(self.changed)

    def value(self) -> bool | None:
        return self._TO_BOOL.get(self.currentData())

    def set_value(self, value: Any) -> None:
        self.setCurrentIndex({True: 1, False: 2}.get(value, 0) if isinstance(value, bool) else 0)


class LongText(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None, lines: int = 4):
        super().__init__(parent)
        self.changed = Notify()  # free text drives no rule: read on save, never tracked
        self.setTabChangesFocus(True)
        self.setMinimumHeight(lines * 20 + 12)
        self.setMaximumHeight(lines * 20 + 60)

    def value(self) -> str:
        return self.toPlainText()

    def set_value(self, value: Any) -> None:
        self.setPlainText(str(value or ""))


class TextLine(QLineEdit):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.changed = Notify()  # free text drives no rule: read on save, never tracked

    def value(self) -> str:
        return self.text()

    def set_value(self, value: Any) -> None:
        self.setText(str(value or ""))


# --- signals and groups -------------------------------------------------------------------


class _ClickLabel(QLabel):
    """The wrapping text next to a check box; clicking it toggles the box."""

    def __init__(self, text: str, box: QCheckBox, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._box = box
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self._box.toggle()
        super().mousePressEvent(event)


class SignalPicker(QWidget):
    """Tick indicators from the signalenlijst; a search box filters across the shown lists.

    Check boxes with wrapping labels rather than a tree: the AF must be able to read the
    whole indicator, and item views do not wrap text reliably.
    """

    def __init__(self, signalen, forms: Iterable, parent: QWidget | None = None):
        super().__init__(parent)
        self.changed = Notify()
        self._signalen = signalen
        self._forms = tuple(forms)
        self._selected: list[str] = []
        self.search = QLineEdit(self)
        self.search.setObjectName("signalSearch")
        self.search.setPlaceholderText("Zoek in de signalen (woord of code)…")
        self.search.setClearButtonEnabled(True)
        self.area = QScrollArea(self)
        self.area.setWidgetResizable(True)
        self.area.setMinimumHeight(260)
        self.area.setMaximumHeight(340)
        inner = QWidget(self.area)
        inner.setObjectName("signalList")
        inner.setStyleSheet("QWidget#signalList { background: #ffffff; }")
        grid = QGridLayout(inner)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(2, 1)
        self.boxes: dict[str, QCheckBox] = {}
        self._rows: dict[str, list[QWidget]] = {}
        self._headers: list[tuple[QLabel, list[str]]] = []
        row = 0
        for form in self._forms:
            header = QLabel(form.label, inner)
            header.setStyleSheet("font-weight: bold; color: #7a1f3d; padding-top: 4px;")
            grid.addWidget(header, row, 0, 1, 3)
            row += 1
            codes = []
            for ind in form.indicators:
                box = QCheckBox(inner)
                box.setObjectName(f"signal_{ind.code}")
                code = QLabel(ind.code, inner)
                code.setStyleSheet("font-family: monospace; color: #52606d;")
                text = _ClickLabel(ind.text + ("  (minderjarigen)" if ind.minors else ""), box,
                                   inner)
                grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(code, row, 1, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(text, row, 2)
                box.setProperty("code", ind.code)
                box.toggled.connect(self._box_toggled)
                self.boxes[ind.code] = box
                self._rows[ind.code] = [box, code, text]
                codes.append(ind.code)
                row += 1
            self._headers.append((header, codes))
        grid.setRowStretch(row, 1)
        self.area.setWidget(inner)
        self.summary = hint_label("", self)
        self.caution = hint_label(signalen.caution, self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.search)
        lay.addWidget(self.area)
        lay.addWidget(self.summary)
        lay.addWidget(self.caution)
        self.search.textChanged.connect(self._filter)
        self._update_summary()

    def _box_toggled(self, on: bool) -> None:
        self._toggled(str(self.sender().property("code")), on)

    def _toggled(self, code: str, on: bool) -> None:
        if on and code not in self._selected:
            self._selected.append(code)
        elif not on and code in self._selected:
            self._selected.remove(code)
        self._update_summary()
        self.changed()

    def _filter(self, query: str) -> None:
        hits = {i.code for i in self._signalen.search(query, self._forms)}
        for code, widgets in self._rows.items():
            for w in widgets:
                set_visible(w, code in hits)
        for header, codes in self._headers:
            set_visible(header, any(c in hits for c in codes))

    def _update_summary(self) -> None:
        if self._selected:
            set_text(self.summary, "Gekozen: " + ", ".join(self._selected))
        else:
            set_text(self.summary, "Nog geen signalen gekozen.")

    def value(self) -> list[str]:
        # Codes chosen earlier from a list this case no longer shows are kept, not dropped.
        return list(self._selected)

    def set_value(self, codes: Any) -> None:
        self._selected = [c for c in (codes or []) if isinstance(c, str)]
        for code, box in self.boxes.items():
            if box.isChecked() != (code in self._selected):
                box.blockSignals(True)
                box.setChecked(code in self._selected)
                box.blockSignals(False)
        self._update_summary()

    def check(self, code: str, on: bool = True) -> None:
        self.boxes[code].setChecked(on)

    def visible_codes(self) -> list[str]:
        return [c for c, ws in self._rows.items() if not ws[0].isHidden()]


class GroupPicker(QListWidget):
    def __init__(self, groups: Iterable, parent: QWidget | None = None):
        super().__init__(parent)
        self.changed = Notify()
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for g in groups:
            item = QListWidgetItem(f"{g.code}  {g.label}")
            item.setData(Qt.ItemDataRole.UserRole, g.code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setFixedHeight(min(self.count(), 6) * 24 + 8)
        self.itemChanged.connect(self.changed)
        self._extra: list[str] = []

    def value(self) -> list[str]:
        chosen = [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                  if self.item(i).checkState() == Qt.CheckState.Checked]
        return chosen + [c for c in self._extra if c not in chosen]

    def set_value(self, codes: Any) -> None:
        codes = [c for c in (codes or []) if isinstance(c, str)]
        known = set()
        blocked = self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            code = item.data(Qt.ItemDataRole.UserRole)
            known.add(code)
            item.setCheckState(Qt.CheckState.Checked if code in codes else Qt.CheckState.Unchecked)
        self.blockSignals(blocked)
        self._extra = [c for c in codes if c not in known]


# --- forms --------------------------------------------------------------------------------


def make_editor(f: mc.Field, ctx: EditorContext, parent: QWidget) -> QWidget:
    if f.type == "text":
        return TextLine(parent)
    if f.type == "longtext":
        return LongText(parent)
    if f.type == "date":
        return DateLine(parent)
    if f.type == "bool":
        return BoolCombo(parent)
    if f.type == "choice":
        return ChoiceCombo(f.choices, parent)
    if f.type == "list":
        return ListEditor(f, ctx, parent)
    if f.type == "signals":
        return SignalPicker(ctx.signalen, ctx.signal_forms, parent)
    if f.type == "groups":
        return GroupPicker(ctx.signalen.groups, parent)
    raise ValueError(f.type)


class EditorContext:
    """What editors need beyond the field itself (the signalenlijst for the case)."""

    def __init__(self, signalen, signal_forms: Iterable):
        self.signalen = signalen
        self.signal_forms = tuple(signal_forms)


class FieldForm(QWidget):
    """The fields of a step (or of one list row), laid out from the content.

    Fields whose `when` condition does not hold are hidden, not cleared: what was typed
    stays in the draft, and the domain ignores it.
    """

    def __init__(self, fields: Sequence[mc.Field], ctx: EditorContext, compact: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.changed = Notify()
        self.fields = tuple(fields)
        self.editors: dict[str, QWidget] = {}
        self._rows: dict[str, list[QWidget]] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        if compact:
            self._build_compact(grid, ctx)
        else:
            self._build(grid, ctx)
        for editor in self.editors.values():
            editor.changed.connect(self._on_change)  # type: ignore[attr-defined]
        self._apply_conditions()

    @staticmethod
    def _label(f: mc.Field, parent: QWidget) -> QLabel:
        text = f.label + (" *" if f.required else "")
        label = QLabel(text, parent)
        label.setWordWrap(True)
        label.setToolTip("Verplicht" if f.required else "")
        return label

    def _build(self, grid: QGridLayout, ctx: EditorContext) -> None:
        grid.setColumnMinimumWidth(0, 200)
        grid.setColumnStretch(1, 1)
        row = 0
        for f in self.fields:
            editor = make_editor(f, ctx, self)
            editor.setObjectName(f"field_{f.id}")
            self.editors[f.id] = editor
            widgets: list[QWidget] = []
            if f.type in ("list", "signals", "groups"):
                title = QLabel(f.label + (" *" if f.required else ""), self)
                title.setObjectName("sectionTitle")
                grid.addWidget(title, row, 0, 1, 2)
                widgets.append(title)
                row += 1
                if f.help:
                    h = hint_label(f.help, self)
                    grid.addWidget(h, row, 0, 1, 2)
                    widgets.append(h)
                    row += 1
                grid.addWidget(editor, row, 0, 1, 2)
                widgets.append(editor)
                row += 1
            else:
                label = self._label(f, self)
                label.setBuddy(editor)
                grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
                box = QWidget(self)
                lay = QVBoxLayout(box)
                lay.setContentsMargins(0, 0, 0, 0)
                lay.setSpacing(2)
                lay.addWidget(editor, 0, Qt.AlignmentFlag.AlignLeft if f.type in (
                    "date", "bool", "choice") else Qt.AlignmentFlag(0))
                if f.help:
                    lay.addWidget(hint_label(f.help, box))
                grid.addWidget(box, row, 1)
                widgets += [label, box]
                row += 1
            self._rows[f.id] = widgets

    def _build_compact(self, grid: QGridLayout, ctx: EditorContext) -> None:
        """One list row: short fields side by side (label above), long text below."""
        col = 0
        short = [f for f in self.fields if f.type != "longtext"]
        long = [f for f in self.fields if f.type == "longtext"]
        for f in short:
            editor = make_editor(f, ctx, self)
            editor.setObjectName(f"field_{f.id}")
            label = self._label(f, self)
            label.setObjectName("hint")
            grid.addWidget(label, 0, col)
            grid.addWidget(editor, 1, col)
            grid.setColumnStretch(col, 2 if f.type == "text" else 0)
            self.editors[f.id] = editor
            self._rows[f.id] = [label, editor]
            col += 1
        row = 2
        for f in long:
            editor = LongText(self, lines=2)
            editor.setObjectName(f"field_{f.id}")
            label = self._label(f, self)
            label.setObjectName("hint")
            grid.addWidget(label, row, 0, 1, max(col, 1))
            grid.addWidget(editor, row + 1, 0, 1, max(col, 1))
            self.editors[f.id] = editor
            self._rows[f.id] = [label, editor]
            row += 2

    def _on_change(self) -> None:
        self._apply_conditions()
        self.changed()

    def _apply_conditions(self) -> None:
        if not any(f.when for f in self.fields):
            return
        values = self.values()
        for f in self.fields:
            visible = f.relevant(values)
            for w in self._rows[f.id]:
                set_visible(w, visible)

    def values(self) -> dict[str, Any]:
        return {fid: e.value() for fid, e in self.editors.items()}  # type: ignore[attr-defined]

    def set_values(self, values: dict[str, Any]) -> None:
        for fid, editor in self.editors.items():
            editor.blockSignals(True)
            editor.set_value(values.get(fid))  # type: ignore[attr-defined]
            editor.blockSignals(False)
        self._apply_conditions()

    def is_empty(self) -> bool:
        return all(v in (None, "", []) for v in self.values().values())


class ListRow(QFrame):
    def __init__(self, field: mc.Field, ctx: EditorContext, on_remove,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._on_remove = on_remove
        self.setObjectName("listRow")
        self.setStyleSheet("QFrame#listRow { border: 1px solid #ddd8d0; border-radius: 4px; "
                           "background: #faf9f7; }")
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold; color: #52606d;")
        self.remove_button = QPushButton("Verwijderen", self)
        self.remove_button.setToolTip("Deze regel verwijderen")
        self.form = FieldForm(field.items, ctx, compact=True, parent=self)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.remove_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 8)
        lay.addLayout(head)
        lay.addWidget(self.form)
        self.remove_button.clicked.connect(self._remove_clicked)

    def _remove_clicked(self) -> None:
        self._on_remove(self)


class ListEditor(QWidget):
    """A list of rows (observations, consultations, agreements), each an inline form.

    Inline rows instead of an add-dialog: everything typed is part of the value at once,
    so a lock mid-row loses nothing.
    """

    def __init__(self, field: mc.Field, ctx: EditorContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.changed = Notify()  # the rows' content drives no rule of the step
        self.field = field
        self._ctx = ctx
        self.rows: list[ListRow] = []
        self._box = QVBoxLayout()
        self._box.setSpacing(6)
        self.empty = hint_label("Nog geen regels.", self)
        noun = {"waarnemingen": "waarneming", "consultaties": "consultatie",
                "afspraken": "afspraak", "monitoring": "moment"}.get(field.id, "regel")
        self.add_button = QPushButton(f"+ {noun.capitalize()} toevoegen", self)
        self.add_button.setObjectName(f"add_{field.id}")
        self._noun = noun
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self._box)
        lay.addWidget(self.empty)
        lay.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_button.clicked.connect(self._add_clicked)

    def _add_clicked(self) -> None:
        self.add_row()

    def add_row(self) -> ListRow:
        row = ListRow(self.field, self._ctx, self._remove, self)
        self.rows.append(row)
        self._box.addWidget(row)
        row.show()  # at once, not on the layout's queued show: the AF types into it now
        self._renumber()
        return row

    def _remove(self, row: ListRow) -> None:
        self.rows.remove(row)
        self._box.removeWidget(row)
        row.deleteLater()
        self._renumber()

    def _renumber(self) -> None:
        for n, row in enumerate(self.rows, 1):
            set_text(row.title, f"{self._noun.capitalize()} {n}")
        set_visible(self.empty, not self.rows)

    def value(self) -> list[dict[str, Any]]:
        # A row with nothing in it is not a row; a half-filled one is kept for the domain.
        return [r.form.values() for r in self.rows if not r.form.is_empty()]

    def set_value(self, rows: Any) -> None:
        for r in list(self.rows):
            self._box.removeWidget(r)
            r.deleteLater()
        self.rows = []
        for data in rows or []:
            row = ListRow(self.field, self._ctx, self._remove, self)
            row.form.set_values(data if isinstance(data, dict) else {})
            self.rows.append(row)
            self._box.addWidget(row)
        self._renumber()


# --- afwegingsvragen ----------------------------------------------------------------------


class QuestionBox(QGroupBox):
    """One afwegingsvraag: the question, its explanation, criteria, answer and reasoning."""

    def __init__(self, q: mc.Question, parent: QWidget | None = None):
        super().__init__(f"Afwegingsvraag {q.number}", parent)
        self.changed = Notify()
        self._optional = False
        self.question = q
        self.setObjectName(f"question_{q.id}")
        lay = QVBoxLayout(self)
        lay.setSpacing(6)
        text = QLabel(q.text, self)
        text.setWordWrap(True)
        text.setStyleSheet("font-weight: bold; font-size: 10.5pt;")
        lay.addWidget(text)
        if q.explanation:
            lay.addWidget(hint_label(q.explanation, self))
        if q.subquestions:
            lay.addWidget(hint_label("\n".join(f"•  {s}" for s in q.subquestions), self))
        self.hints_box = QVBoxLayout()
        lay.addLayout(self.hints_box)
        self.criteria: dict[str, QCheckBox] = {}
        if q.criteria:
            lay.addWidget(QLabel("Wat is er aan de hand? (vink aan wat geldt)", self))
            for c in q.criteria:
                cb = QCheckBox(c.label, self)
                cb.setObjectName(f"{q.id}_{c.id}")
                cb.toggled.connect(self.changed)
                self.criteria[c.id] = cb
                lay.addWidget(cb)
        row = QHBoxLayout()
        self.answer_label = QLabel("Antwoord *", self)
        row.addWidget(self.answer_label)
        self.group = QButtonGroup(self)
        self.answers: dict[str, QRadioButton] = {}
        for a in q.answers:
            rb = QRadioButton(a.label, self)
            rb.setObjectName(f"{q.id}_{a.value}")
            self.group.addButton(rb)
            self.answers[a.value] = rb
            row.addWidget(rb)
        row.addStretch(1)
        lay.addLayout(row)
        self.group.buttonToggled.connect(self._answer_toggled)
        self.reasoning_label = QLabel("Toelichting op het antwoord *", self)
        lay.addWidget(self.reasoning_label)
        self.reasoning = LongText(self, lines=3)
        self.reasoning.setObjectName(f"{q.id}_reasoning")
        lay.addWidget(self.reasoning)  # free text: read on save, not tracked

    def _answer_toggled(self, _button, on: bool) -> None:
        if on:
            self.changed()

    def set_optional(self, optional: bool) -> None:
        """Mark a question that may be answered later, together with Veilig Thuis."""
        if optional == self._optional:
            return
        self._optional = optional
        q = self.question
        self.setTitle(f"Afwegingsvraag {q.number} — samen met Veilig Thuis, mag later"
                      if optional else f"Afwegingsvraag {q.number}")
        star = "" if optional else " *"
        self.answer_label.setText("Antwoord" + star)
        self.reasoning_label.setText("Toelichting op het antwoord" + star)

    def set_hints(self, hints: Sequence[str]) -> None:
        while self.hints_box.count():
            item = self.hints_box.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for h in hints:
            self.hints_box.addWidget(note_label(h, "warning", self))

    def value(self) -> dict[str, Any]:
        answer = next((v for v, rb in self.answers.items() if rb.isChecked()), "")
        return {"answer": answer, "reasoning": self.reasoning.toPlainText(),
                "criteria": [cid for cid, cb in self.criteria.items() if cb.isChecked()]}

    def set_value(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        self.blockSignals(True)
        self.group.setExclusive(False)
        for v, rb in self.answers.items():
            rb.setChecked(v == value.get("answer"))
        self.group.setExclusive(True)
        for cid, cb in self.criteria.items():
            cb.setChecked(cid in (value.get("criteria") or []))
        self.reasoning.setPlainText(str(value.get("reasoning") or ""))
        self.blockSignals(False)

    def answer(self, value: str) -> None:
        self.answers[value].setChecked(True)


def mark_invalid(widget: QWidget, on: bool) -> None:
    """Outline a widget the domain named in a problem; cleared on the next check."""
    name = widget.objectName() or f"w{id(widget)}"
    widget.setObjectName(name)
    if on:
        widget.setStyleSheet(f"#{name} {{ {INVALID_STYLE} }}")
    else:
        widget.setStyleSheet("")


__all__ = [
    "BoolCombo", "ChoiceCombo", "DateLine", "EditorContext", "FieldForm", "GroupPicker",
    "ListEditor", "LongText", "QuestionBox", "SignalPicker", "TextLine", "hint_label",
    "mark_invalid", "note_label", "parse_date",
]
