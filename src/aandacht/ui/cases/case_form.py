"""Create or edit a case: the pseudonymous basics, and the optional detail sections.

The detail sections (persoon / object / situatie) come from `DETAIL_FIELDS`; a field of a
special category carries a visible tag, so the AF sees what weighs heavier before typing it.
Validation is the domain's: a refused save shows its Dutch sentence above the form and the
dialog keeps everything typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.case import (
    DETAIL_FIELDS,
    FORM_LABELS,
    MINOR_LABELS,
    SECTION_LABELS,
    SOURCE_LABELS,
    SUBJECT_LABELS,
    Case,
    FieldSpec,
    Form,
    Minor,
    SourceType,
    Subject,
)
from aandacht.domain.errors import AandachtError, ValidationError
from aandacht.ui.cases import common

SECTION_TABS = {
    "persoon": "Persoon",
    "object": "Locatie, bedrijf, dader",
    "situatie": "Situatie",
}
SECTION_HINTS = {
    "persoon": "Alleen invullen wat voor de hulp nodig is. Deze gegevens gaan nooit vanzelf mee "
               "in een overdracht: alleen de regels van het overdrachtsformulier beslissen dat.",
    "object": "Gegevens over een adres, bedrijf, advertentie of vermoedelijke dader. Hoort er ook "
              "een slachtoffer bij? Leg dat vast in een gekoppelde slachtoffercasus.",
    "situatie": "Niet-identificerende inschatting; hieruit wordt een minimale overdracht "
                "opgebouwd.",
}


class _DetailField:
    """One detail field's widget, read and written as the text the domain stores."""

    def __init__(self, spec: FieldSpec, value: str, parent: QWidget):
        self.spec = spec
        self._raw = value
        if spec.kind == "longtext":
            w = QPlainTextEdit(parent)
            w.setPlainText(value)
            w.setTabChangesFocus(True)
            w.setFixedHeight(64)
        elif spec.kind == "choice":
            w = QComboBox(parent)
            w.addItem("niet ingevuld", "")
            for val, label in spec.choices:
                w.addItem(label, val)
            i = w.findData(value)
            w.setCurrentIndex(i if i >= 0 else 0)
        elif spec.kind == "date":
            parsed = _parse_iso(value)
            w = common.OptionalDateEdit("bekend", parsed, default=dt.date(1990, 1, 1),
                                        parent=parent)
            if value and parsed is None:
                # A stored value that is not a date stays untouched unless the AF changes it.
                w.changed.connect(self._forget_raw)
        else:
            w = QLineEdit(parent)
            w.setText(value)
        self.widget = w

    def _forget_raw(self) -> None:
        self._raw = ""

    def value(self) -> str:
        w = self.widget
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QComboBox):
            return w.currentData() or ""
        if isinstance(w, common.OptionalDateEdit):
            d = w.value()
            if d is None and self._raw and _parse_iso(self._raw) is None:
                return self._raw
            return d.isoformat() if d else ""
        return w.text()

    def set_value(self, value: str) -> None:
        w = self.widget
        if isinstance(w, QPlainTextEdit):
            w.setPlainText(value)
        elif isinstance(w, QComboBox):
            i = w.findData(value)
            w.setCurrentIndex(i if i >= 0 else 0)
        elif isinstance(w, common.OptionalDateEdit):
            w.set_value(_parse_iso(value))
        else:
            w.setText(value)

    def focus(self) -> None:
        w = self.widget
        (w.edit if isinstance(w, common.OptionalDateEdit) else w).setFocus()


def _parse_iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class CaseFormDialog(QDialog):
    """`CaseFormDialog(services, case=None, parent=None)`; after a successful `save()` the
    saved case is in `self.case` and the dialog is accepted."""

    def __init__(self, services, case: Case | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self._original = case
        self.case: Case | None = None
        # No label in the title: window titles can end up in task bars and screen recorders.
        self.setWindowTitle("Casus bewerken" if case else "Nieuwe casus")
        self.resize(780, 760)

        base = case or Case(None, "", services.cases.today())
        self.error = common.ErrorBanner(self)

        # --- basics --------------------------------------------------------------------
        basics = QWidget(self)
        form = QFormLayout(basics)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.label_edit = QLineEdit(base.label, basics)
        self.label_edit.setPlaceholderText("bijvoorbeeld: Casus Zilverreiger")
        hint = QLabel("Een pseudoniem. Een echte naam hoort hier niet; die kan, alleen als het "
                      "nodig is, bij Persoon.", basics)
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#52606d;")
        label_box = QVBoxLayout()
        label_box.setSpacing(2)
        label_box.addWidget(self.label_edit)
        label_box.addWidget(hint)
        form.addRow("Label", label_box)

        self.opened_edit = common.make_date_edit(base.opened_on, basics)
        form.addRow("Geopend op", _left(self.opened_edit))

        self.subject_group = QButtonGroup(self)
        self.subject_buttons: dict[Subject, QRadioButton] = {}
        subject_box = QVBoxLayout()
        subject_box.setSpacing(2)
        for subject in Subject:
            rb = QRadioButton(SUBJECT_LABELS[subject], basics)
            rb.setChecked(subject == base.subject)
            self.subject_group.addButton(rb)
            self.subject_buttons[subject] = rb
            subject_box.addWidget(rb)
        form.addRow("Onderwerp", subject_box)

        self.form_checks: dict[Form, QCheckBox] = {}
        forms_grid = QGridLayout()
        forms_grid.setContentsMargins(0, 0, 0, 0)
        for i, f in enumerate(Form):
            cb = QCheckBox(FORM_LABELS[f], basics)
            cb.setChecked(f in base.forms)
            self.form_checks[f] = cb
            forms_grid.addWidget(cb, i // 2, i % 2)
        form.addRow("Vormen", forms_grid)

        self.minor_combo = QComboBox(basics)
        for m in Minor:
            self.minor_combo.addItem(MINOR_LABELS[m], m.value)
        self.minor_combo.setCurrentIndex(self.minor_combo.findData(base.minor.value))
        form.addRow("Minderjarig", _left(self.minor_combo))

        self.source_combo = QComboBox(basics)
        for s in SourceType:
            self.source_combo.addItem(SOURCE_LABELS[s], s.value)
        self.source_combo.setCurrentIndex(self.source_combo.findData(base.source_type.value))
        self.department_edit = QLineEdit(base.source_department, basics)
        self.department_edit.setPlaceholderText("afdeling of organisatie (optioneel, geen naam)")
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_combo)
        source_row.addWidget(self.department_edit, 1)
        form.addRow("Bron van het signaal", source_row)

        self.linked_combo = QComboBox(basics)
        self.linked_combo.addItem("geen koppeling", None)
        for cid, label in services.cases.labels():
            if cid != base.id:
                self.linked_combo.addItem(label, cid)
        i = self.linked_combo.findData(base.linked_case_id)
        self.linked_combo.setCurrentIndex(i if i >= 0 else 0)
        self.linked_combo.setMinimumContentsLength(24)
        link_hint = QLabel("Gaat een situatie over een slachtoffer én over een locatie of dader? "
                           "Maak twee casussen en koppel ze, zodat slachtoffergegevens nooit in "
                           "het OOV-deel terechtkomen.", basics)
        link_hint.setWordWrap(True)
        link_hint.setStyleSheet("color:#52606d;")
        link_box = QVBoxLayout()
        link_box.setSpacing(2)
        link_box.addWidget(_left(self.linked_combo))
        link_box.addWidget(link_hint)
        form.addRow("Gekoppelde casus", link_box)

        # --- detail sections -------------------------------------------------------------
        self.details_tabs = QTabWidget(self)
        self.detail_fields: dict[str, _DetailField] = {}
        self._tab_of_section: dict[str, int] = {}
        for section in SECTION_TABS:
            page = QWidget()
            page_lay = QVBoxLayout(page)
            header = QLabel(f"<b>{SECTION_LABELS[section]}</b><br>"
                            f"<span style='color:#52606d'>{SECTION_HINTS[section]}</span>", page)
            header.setWordWrap(True)
            page_lay.addWidget(header)
            grid = QFormLayout()
            grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for spec in DETAIL_FIELDS:
                if spec.key.split(".", 1)[0] != section:
                    continue
                field = _DetailField(spec, base.detail(spec.key), page)
                self.detail_fields[spec.key] = field
                grid.addRow(self._field_label(spec, page), field.widget)
            page_lay.addLayout(grid)
            page_lay.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setWidget(page)
            self._tab_of_section[section] = self.details_tabs.addTab(scroll, "")
        self._update_tab_titles()
        for field in self.detail_fields.values():
            _connect_changed(field.widget, self._update_tab_titles)

        details_caption = QLabel("<b>Optionele gegevens</b> — alleen wat nodig is; velden met een "
                                 "gele markering zijn bijzondere of gevoelige gegevens.", self)
        details_caption.setWordWrap(True)

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("Opslaan", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addWidget(self.error)
        lay.addWidget(basics)
        lay.addWidget(details_caption)
        lay.addWidget(self.details_tabs, 1)
        lay.addWidget(buttons)
        self.label_edit.setFocus()

    # --- building blocks -------------------------------------------------------------------
    @staticmethod
    def _field_label(spec: FieldSpec, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        text = QLabel(spec.label, box)
        text.setWordWrap(True)
        v.addWidget(text)
        # A fixed width lets the wrapped label compute its height (a squeezed one clips).
        box.setFixedWidth(230)
        if spec.special is not None:
            v.addWidget(common.special_tag(spec.special, box), 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def _update_tab_titles(self) -> None:
        for section, index in self._tab_of_section.items():
            n = sum(1 for k, f in self.detail_fields.items()
                    if k.startswith(section + ".") and f.value().strip())
            self.details_tabs.setTabText(
                index, SECTION_TABS[section] + (f" ({n})" if n else ""))

    # --- reading the form -----------------------------------------------------------------
    def selected_forms(self) -> frozenset[Form]:
        return frozenset(f for f, cb in self.form_checks.items() if cb.isChecked())

    def selected_subject(self) -> Subject:
        for subject, rb in self.subject_buttons.items():
            if rb.isChecked():
                return subject
        return Subject.SLACHTOFFER

    def set_detail(self, key: str, value: str) -> None:
        self.detail_fields[key].set_value(value)

    def details(self) -> dict[str, str]:
        out = {}
        for key, field in self.detail_fields.items():
            value = field.value()
            if value.strip():
                out[key] = value
        return out

    def collect(self) -> Case:
        """A new Case object from the widgets (never the one the dialog was given)."""
        values = dict(
            label=self.label_edit.text(),
            opened_on=common.from_qdate(self.opened_edit.date()),
            subject=self.selected_subject(),
            forms=self.selected_forms(),
            minor=Minor(self.minor_combo.currentData()),
            source_type=SourceType(self.source_combo.currentData()),
            source_department=self.department_edit.text().strip(),
            linked_case_id=self.linked_combo.currentData(),
            details=self.details(),
        )
        if self._original is None:
            return Case(None, **values)
        return replace(self._original, **values)

    # --- saving --------------------------------------------------------------------------
    def save(self) -> bool:
        """Validate through the service and save; on a refusal show why and keep everything."""
        case = self.collect()
        try:
            if self._original is None:
                saved = self.services.cases.create_case(case)
            else:
                saved = self.services.cases.update_case(case)
        except AandachtError as err:
            self.show_error(err)
            return False
        self.case = saved
        self.error.clear_message()
        self.accept()
        return True

    def show_error(self, err: AandachtError) -> None:
        self.error.show_message(str(err))
        self._focus_field(getattr(err, "field", None) if isinstance(err, ValidationError) else None)

    def _focus_field(self, field: str | None) -> None:
        if field == "label":
            self.label_edit.setFocus()
            self.label_edit.selectAll()
        elif field == "geopend op":
            self.opened_edit.setFocus()
        elif field == "forms":
            self.form_checks[Form.ONBEKEND].setFocus()
        elif field == "linked_case_id":
            self.linked_combo.setFocus()
        else:
            for key, f in self.detail_fields.items():
                if field in (key, f.spec.label):
                    section = key.split(".", 1)[0]
                    self.details_tabs.setCurrentIndex(self._tab_of_section[section])
                    f.focus()
                    break


def _left(widget: QWidget) -> QWidget:
    """Keep short inputs (dates, combos) at their natural width instead of stretched."""
    box = QWidget()
    h = QHBoxLayout(box)
    h.setContentsMargins(0, 0, 0, 0)
    h.addWidget(widget)
    h.addStretch(1)
    return box


def _connect_changed(widget: QWidget, slot) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(lambda _i: slot())
    elif isinstance(widget, common.OptionalDateEdit):
        widget.changed.connect(slot)
    elif isinstance(widget, QLineEdit):
        widget.textChanged.connect(lambda _t: slot())
