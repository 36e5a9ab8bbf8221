"""Jaaroverzicht: new cases per quarter by form, subject, source, minor and route, as
bar charts (drawn with QPainter; QtCharts is not part of this Qt build) and tables, with
PDF and CSV export for the college.

The page shows only counts per category. "Voor extern gebruik" switches the page and
the exports to the small-cell rule (1 to 4 shown as "<5"), so the AF sees exactly what
will leave the gemeente.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.errors import AandachtError
from aandacht.domain.stats import (
    MASK,
    PERIOD_NOTE,
    QUARTER_LABELS,
    QUARTERS,
    SMALL_CELL,
    SUPPRESSION_NOTE,
    TOTAL_LABEL,
    AnnualOverview,
    CountRow,
    cell,
)
from aandacht.services.reports import ReportService, write_export
from aandacht.ui import dialogs

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies and
# in greyscale print; text on each bar uses the contrasting ink listed beside it.
QUARTER_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
QUARTER_INK = ("#ffffff", "#1f2933", "#ffffff", "#1f2933")
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#d9dee3"
MASKED_FILL = "#9aa5b1"


# --- modal hooks (tests replace these) -------------------------------------------------
def ask_save_path(parent, title: str, default_name: str, filters: str) -> str:
    return dialogs.ask_save_path(parent, title, default_name, filters)


def show_error(parent, text: str) -> None:
    dialogs.warn(parent, "Opslaan lukte niet", text)


def show_info(parent, text: str) -> None:
    dialogs.inform(parent, "Jaaroverzicht opgeslagen", text)


def report_service(services) -> ReportService:
    """The wired ReportService, or one built on the same vault when none is wired yet."""
    existing = getattr(services, "reports", None)
    if existing is not None:
        return existing
    return ReportService(services.vault, services.cases, services.settings)


# --- table model ----------------------------------------------------------------------
class CountsModel(QAbstractTableModel):
    """Read-only: one row per category, columns Categorie, K1..K4, Heel jaar."""

    COL_LABEL = 0
    COL_TOTAL = 5
    HEADERS = ("Categorie", *(q.split(" ")[0] for q in QUARTER_LABELS), TOTAL_LABEL)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[list[str]] = []

    def set_rows(self, rows: list[list[str]]) -> None:
        self.beginResetModel()
        self._rows = [list(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() != self.COL_LABEL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.column() == self.COL_TOTAL:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and value == "0":
            return QBrush(QColor(MUTED))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.COL_LABEL:
            return value  # the full name where the column is too narrow for it
        if role == Qt.ItemDataRole.ToolTipRole and value == MASK:
            return f"1 tot en met {SMALL_CELL - 1}: afgeschermd voor extern gebruik"
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and 1 <= section <= 4:
            return QUARTER_LABELS[section - 1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (Qt.AlignmentFlag.AlignLeft if section == self.COL_LABEL
                          else Qt.AlignmentFlag.AlignRight)
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None


# --- chart ------------------------------------------------------------------------------
def _nice_step(maximum: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if maximum / step <= 6:
            return step
    return max(1, maximum // 5)


class Segment(NamedTuple):
    units: int  # length in cases
    colour: str
    text: str  # printed inside when it fits
    ink: str
    hatched: bool


def bar_segments(row: CountRow, suppress: bool) -> list[Segment]:
    """The stacked pieces of one bar, never showing more than the table does.

    Exact: one coloured piece per quarter. Suppressed: quarters of 5 or more keep their
    piece; the quarters of 1 to 4 share one hatched piece whose length is the year total
    minus the exact quarters (the table already gives that away: exact total minus exact
    quarters). A year total of 1 to 4 is one hatched piece of fixed length, marked '<5'.
    """
    if not suppress:
        return [Segment(n, QUARTER_COLOURS[q], str(n), QUARTER_INK[q], False)
                for q, n in enumerate(row.quarters) if n > 0]
    if 0 < row.total < SMALL_CELL:
        return [Segment(SMALL_CELL - 1, MASKED_FILL, MASK, INK, True)]
    exact = [Segment(n, QUARTER_COLOURS[q], str(n), QUARTER_INK[q], False)
             for q, n in enumerate(row.quarters) if n >= SMALL_CELL]
    masked_q = [QUARTERS[q] for q, n in enumerate(row.quarters) if 0 < n < SMALL_CELL]
    rest = row.total - sum(seg.units for seg in exact)
    if rest > 0:
        exact.append(Segment(rest, MASKED_FILL, " ".join(masked_q), INK, True))
    return exact


class ChartLegend(QWidget):
    """One legend for all charts on the page: the quarter colours, and the hatched piece
    when small counts are hidden."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._suppress = False
        self.setFixedHeight(22)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_suppress(self, suppress: bool) -> None:
        self._suppress = suppress
        self.setAccessibleDescription(", ".join(self.items()))
        self.update()

    def items(self) -> list[str]:
        out = [f"Kleur {i + 1}: {QUARTER_LABELS[i]}" for i in range(4)]
        if self._suppress:
            out.append(f"Gearceerd: kwartalen met 1 tot en met {SMALL_CELL - 1} casussen, "
                       "samen, zonder aantal")
        return out

    def paintEvent(self, event):  # noqa: N802
        p = QPainter(self)
        fm = QFontMetrics(self.font())
        x = 2.0
        entries = [(QUARTER_LABELS[i], QColor(QUARTER_COLOURS[i]), False) for i in range(4)]
        if self._suppress:
            entries.append((f"gearceerd: kwartalen met 1–{SMALL_CELL - 1} casussen "
                            "(afgeschermd)", QColor(MASKED_FILL), True))
        for label, colour, hatched in entries:
            QuarterBarChart._swatch(p, QRectF(x, 5, 12, 12), colour, hatched)
            p.setPen(QPen(QColor(INK)))
            p.drawText(int(x + 17), 5 + fm.ascent() - 1, label)
            x += 17 + fm.horizontalAdvance(label) + 18
        p.end()


class QuarterBarChart(QWidget):
    """Horizontal bars, one per category, stacked by quarter (K1..K4 left to right).

    With `suppress`, quarters of 1 to 4 cases are drawn as one grey hatched piece (see
    `bar_segments`), so the chart never shows more than the table does.
    """

    ROW_H = 34  # room for a category name on two lines
    BAR_H = 18
    TOP = 4
    AXIS_H = 20

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[CountRow] = []
        self._suppress = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(360)

    def set_rows(self, rows: list[CountRow], suppress: bool) -> None:
        self._rows = list(rows)
        self._suppress = suppress
        self.setFixedHeight(self._height())
        summary = "; ".join(f"{r.label}: {cell(r.total, suppress)}" for r in self._rows)
        self.setAccessibleDescription(summary)
        self.setToolTip(summary)
        self.update()

    def clear(self) -> None:
        self.set_rows([], False)

    def rows(self) -> list[CountRow]:
        return list(self._rows)

    def _height(self) -> int:
        return self.TOP + max(1, len(self._rows)) * self.ROW_H + self.AXIS_H + 6

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(520, self._height())

    def paintEvent(self, event):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        fm = QFontMetrics(self.font())
        w = self.width()

        if not self._rows:
            p.setPen(QPen(QColor(MUTED)))
            p.drawText(4, self.TOP + 18, "Geen casussen in dit jaar.")
            p.end()
            return

        # A fixed share of the width, so the bars of all charts on the page start at one line.
        label_w = int(w * 0.42)
        total_w = fm.horizontalAdvance("0000") + 12
        x0 = label_w + 6
        x1 = max(x0 + 40, w - total_w)
        bars = [bar_segments(r, self._suppress) for r in self._rows]
        maximum = max(max(sum(seg.units for seg in b) for b in bars), 1)
        step = _nice_step(maximum)
        top = step * ((maximum + step - 1) // step)
        scale = (x1 - x0) / top
        bottom = self.TOP + len(self._rows) * self.ROW_H

        # Grid and axis numbers.
        grid_pen = QPen(QColor(GRID), 1)
        muted_pen = QPen(QColor(MUTED))
        for v in range(0, top + 1, step):
            gx = x0 + v * scale
            p.setPen(grid_pen)
            p.drawLine(int(gx), self.TOP, int(gx), bottom)
            p.setPen(muted_pen)
            text = str(v)
            p.drawText(int(gx - fm.horizontalAdvance(text) / 2), bottom + fm.ascent() + 3, text)

        bold = QFont(self.font())
        bold.setBold(True)
        for i, (r, segments) in enumerate(zip(self._rows, bars)):
            cy = self.TOP + i * self.ROW_H
            p.setPen(QPen(QColor(INK)))
            flags = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        | Qt.TextFlag.TextWordWrap)
            label_rect = QRectF(0, cy, label_w - 6, self.ROW_H)
            p.drawText(label_rect, flags, self._fit_label(fm, label_rect, flags, r.label))
            bx = float(x0)
            by = cy + (self.ROW_H - self.BAR_H) / 2
            for seg in segments:
                rect = QRectF(bx, by, seg.units * scale, self.BAR_H)
                self._swatch(p, rect, QColor(seg.colour), seg.hatched)
                if seg.text and fm.horizontalAdvance(seg.text) + 6 <= rect.width():
                    p.setPen(QPen(QColor(seg.ink)))
                    p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), seg.text)
                bx += rect.width()
            p.setPen(QPen(QColor(INK)))
            p.setFont(bold)
            p.drawText(QRectF(bx + 6, cy, total_w + 40, self.ROW_H),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       cell(r.total, self._suppress))
            p.setFont(self.font())
        p.end()

    def _fit_label(self, fm: QFontMetrics, rect: QRectF, flags: int, label: str) -> str:
        """At most two lines: drop words from the end until it fits (the table has it whole)."""
        words = label.split()
        text = label
        while len(words) > 1 and fm.boundingRect(rect.toRect(), flags, text).height() > self.ROW_H:
            words.pop()
            text = " ".join(words) + " …"
        return text

    @staticmethod
    def _swatch(p: QPainter, rect: QRectF, colour: QColor, hatched: bool) -> None:
        p.setPen(QPen(Qt.PenStyle.NoPen))
        if hatched:
            p.setBrush(QBrush(QColor("#e4e7eb")))
            p.drawRect(rect)
            p.setBrush(QBrush(colour, Qt.BrushStyle.BDiagPattern))
            p.drawRect(rect)
            p.setPen(QPen(colour, 1))
            p.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        else:
            p.setBrush(QBrush(colour))
            p.drawRect(rect)
            # A thin white gap between stacked quarters keeps adjacent segments apart.
            p.setPen(QPen(QColor("#ffffff"), 1))
            p.drawLine(rect.topRight(), rect.bottomRight())


# --- one dimension: title, chart, table, note --------------------------------------------
class DimensionCard(QFrame):
    def __init__(self, key: str, title: str, parent=None):
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"dimension_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"#dimension_{key} {{ background: #ffffff; border: 1px solid "
                           "#d9dee3; border-radius: 6px; }")
        outer = QVBoxLayout(self)
        self.title = QLabel(title, objectName="sectionTitle")
        self.title.setStyleSheet("border: none;")
        outer.addWidget(self.title)
        row = QHBoxLayout()
        self.chart = QuarterBarChart()
        self.chart.setAccessibleName(f"Grafiek: {title}")
        row.addWidget(self.chart, 1)
        self.model = CountsModel(self)
        self.table = QTableView()
        self.table.setAccessibleName(f"Tabel: {title}")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, 6):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumWidth(380)
        row.addWidget(self.table, 1, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(row)
        self.note = QLabel(objectName="hint")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("border: none;")
        outer.addWidget(self.note)

    def show_rows(self, rows: list[CountRow], suppress: bool, note: str) -> None:
        self.chart.set_rows(rows, suppress)
        self.model.set_rows([[r.label, *r.cells(suppress)] for r in rows])
        self.table.resizeRowsToContents()
        height = self.table.horizontalHeader().height() + 4
        height += sum(self.table.rowHeight(i) for i in range(self.model.rowCount()))
        self.table.setFixedHeight(max(height, 40))
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def clear(self) -> None:
        self.chart.clear()
        self.model.set_rows([])
        self.note.clear()


class JaaroverzichtPage(QWidget):
    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services
        self.reports = report_service(services)
        self.overview: AnnualOverview | None = None
        self.cards: dict[str, DimensionCard] = {}

        root = QVBoxLayout(self)
        title = QLabel("Jaaroverzicht", objectName="pageTitle")
        root.addWidget(title)
        intro = QLabel("Aantallen nieuwe casussen per kwartaal, voor het jaarverslag aan het "
                       "college. Alleen aantallen per categorie: geen casusnamen en geen "
                       "notities.")
        intro.setWordWrap(True)
        root.addWidget(intro)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Jaar:"))
        self.year = QComboBox()
        self.year.setAccessibleName("Jaar")
        self.year.setMinimumWidth(90)
        self.year.currentIndexChanged.connect(self._year_changed)
        bar.addWidget(self.year)
        bar.addSpacing(16)
        self.external = QCheckBox(f"Voor extern gebruik ({MASK} tonen)")
        self.external.setToolTip(SUPPRESSION_NOTE)
        self.external.toggled.connect(self._render)
        bar.addWidget(self.external)
        bar.addStretch(1)
        self.pdf_button = QPushButton("Opslaan als PDF…")
        self.pdf_button.clicked.connect(self.export_pdf)
        bar.addWidget(self.pdf_button)
        self.csv_button = QPushButton("Opslaan als CSV…")
        self.csv_button.setToolTip("Puntkomma-gescheiden, voor Excel of een ander rekenblad.")
        self.csv_button.clicked.connect(self.export_csv)
        bar.addWidget(self.csv_button)
        root.addLayout(bar)

        self.mode = QLabel()
        self.mode.setTextFormat(Qt.TextFormat.RichText)
        self.mode.setWordWrap(True)
        self.mode.setObjectName("annualMode")
        root.addWidget(self.mode)
        self.legend = ChartLegend()
        root.addWidget(self.legend)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setSpacing(12)
        self.summary = DimensionCard("cases", "Nieuwe casussen")
        self.body_layout.addWidget(self.summary)
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setStyleSheet(f"font-size: 11pt; color: {INK}; border: none;")
        self.summary.layout().insertWidget(1, self.headline)
        for key, dim_title in (("forms", "Vorm van uitbuiting"),
                               ("subject", "Waar gaat het signaal over"),
                               ("source_type", "Bron van het signaal"),
                               ("minor", "Minderjarig"),
                               ("route", "Routekaart: ontvangers")):
            card = DimensionCard(key, dim_title)
            self.cards[key] = card
            self.body_layout.addWidget(card)
        self.body_layout.addStretch(1)
        scroll.setWidget(body)
        root.addWidget(scroll, 1)

    # --- page protocol --------------------------------------------------------------
    def refresh(self) -> None:
        try:
            years = self.reports.years()
            default = self.reports.default_year()
        except AandachtError as err:
            show_error(self, str(err))
            return
        wanted = self.selected_year() or default
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(str(y), y)
        index = self.year.findData(wanted)
        self.year.setCurrentIndex(index if index >= 0 else self.year.findData(default))
        self.year.blockSignals(False)
        self._load()

    def clear(self) -> None:
        self.overview = None
        self.year.blockSignals(True)
        self.year.clear()
        self.year.blockSignals(False)
        self.summary.clear()
        self.headline.clear()
        for card in self.cards.values():
            card.clear()
        self.mode.clear()

    # --- behaviour ---------------------------------------------------------------------
    def selected_year(self) -> int | None:
        data = self.year.currentData()
        return int(data) if data is not None else None

    def set_year(self, year: int) -> None:
        index = self.year.findData(year)
        if index < 0:
            self.year.addItem(str(year), year)
            index = self.year.findData(year)
        self.year.setCurrentIndex(index)

    @property
    def suppress(self) -> bool:
        return self.external.isChecked()

    def _year_changed(self, _index: int) -> None:
        self._load()

    def _load(self) -> None:
        year = self.selected_year()
        if year is None:
            return
        try:
            self.overview = self.reports.annual(year)
        except AandachtError as err:
            self.overview = None
            show_error(self, str(err))
            return
        self._render()

    def _render(self) -> None:
        ov = self.overview
        if ov is None:
            return
        suppress = self.suppress
        self.legend.set_suppress(suppress)
        if suppress:
            self.mode.setText("<b>Weergave voor extern gebruik.</b> "
                              + html.escape(f"{SUPPRESSION_NOTE} {PERIOD_NOTE}"))
        else:
            self.mode.setText("<b>Weergave voor intern gebruik: exacte aantallen.</b> Zet "
                              "'Voor extern gebruik' aan voordat u cijfers buiten de gemeente "
                              f"deelt. {html.escape(PERIOD_NOTE)}")
        total = cell(ov.cases.total, suppress)
        self.headline.setText(
            f"In {ov.year}: <b>{html.escape(total)}</b> nieuwe "
            f"{'casus' if ov.cases.total == 1 and not suppress else 'casussen'}.")
        self.summary.show_rows([ov.cases], suppress, "")
        for dim in ov.dimensions:
            card = self.cards.get(dim.key)
            if card is not None:
                card.title.setText(dim.title)
                card.show_rows(list(dim.rows), suppress, dim.note)

    # --- export ------------------------------------------------------------------------
    def export_pdf(self) -> Path | None:
        return self._export("pdf")

    def export_csv(self) -> Path | None:
        return self._export("csv")

    def _export(self, kind: str) -> Path | None:
        year = self.selected_year()
        if year is None:
            return None
        suppress = self.suppress
        try:
            data = (self.reports.annual_pdf(year, suppress) if kind == "pdf"
                    else self.reports.annual_csv(year, suppress))
        except AandachtError as err:
            show_error(self, str(err))
            return None
        variant = "extern" if suppress else "intern"
        default = f"jaaroverzicht-mensenhandel-{year}-{variant}.{kind}"
        filters = "PDF-bestand (*.pdf)" if kind == "pdf" else "CSV-bestand (*.csv)"
        title = f"Jaaroverzicht {year} opslaan als {kind.upper()}"
        path = ask_save_path(self, title, default, filters)
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != f".{kind}":
            target = target.with_name(target.name + f".{kind}")
        try:
            written = write_export(target, data)
        except AandachtError as err:
            show_error(self, str(err))
            return None
        show_info(self, f"Het jaaroverzicht {year} ({variant}) is opgeslagen als "
                        f"'{written.name}'.")
        return written
