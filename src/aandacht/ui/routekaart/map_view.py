"""The routekaart as a picture: the whole tree drawn from the same data the walk uses.

Questions are cards in columns (left to right, by depth); each answer is a row with
the recipients it adds as chips, and an arrow to the next question. The current
walk's path is highlighted. The picture can be saved as PNG or PDF for a training;
both are rendered in memory and written only to the path the AF chose.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QGraphicsView,
    QWidget,
)

from aandacht.domain.routekaart import Routekaart, RouteWalk

ACCENT = QColor("#7a1f3d")
ACCENT_SOFT = QColor("#f3dbe4")
INK = QColor("#1f2933")
MUTED = QColor("#52606d")
RULE = QColor("#b8b0a5")
PAPER = QColor("#ffffff")
CARD = QColor("#faf9f7")

CARD_W = 270.0
GAP_X = 90.0
GAP_Y = 28.0
PAD = 10.0
CHIP_H = 18.0
MARGIN = 30.0
COVERED_SUFFIX = " (gedekt)"


@dataclass
class _Row:
    answer_id: str
    top: float
    height: float
    terminal: bool


@dataclass
class _Card:
    node_id: str
    column: int
    x: float
    y: float
    header_h: float
    rows: list[_Row]
    height: float

    @property
    def rect(self) -> QRectF:
        return QRectF(self.x, self.y, CARD_W, self.height)

    def port(self, answer_id: str | None) -> QPointF:
        """Where an arrow leaves the card: an answer's row, or the header (multiple)."""
        if answer_id is None:
            return QPointF(self.x + CARD_W, self.y + self.header_h / 2)
        row = next(r for r in self.rows if r.answer_id == answer_id)
        return QPointF(self.x + CARD_W, self.y + row.top + row.height / 2)

    @property
    def entry(self) -> QPointF:
        return QPointF(self.x, self.y + self.header_h / 2)


def _font(size: float, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont("DejaVu Sans")
    f.setPointSizeF(size)
    f.setBold(bold)
    f.setItalic(italic)
    return f


class RouteMapView(QGraphicsView):
    def __init__(self, tree: Routekaart, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("routeMap")
        self.setRenderHints(QPainter.RenderHint.Antialiasing |
                            QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setBackgroundBrush(QBrush(PAPER))
        self.setScene(QGraphicsScene(self))
        self.tree = tree
        self.walk: RouteWalk | None = None
        self.highlight = True
        self.cards: dict[str, _Card] = {}
        self._covered: set[str] = set()
        self._user_zoomed = False
        self.setToolTip("Slepen om te verschuiven; Ctrl + scrollwiel om te zoomen.")
        self.redraw()

    # --- public ---------------------------------------------------------------------------
    def set_tree(self, tree: Routekaart) -> None:
        self.tree = tree
        self.redraw()

    def set_walk(self, walk: RouteWalk | None) -> None:
        self.walk = walk
        self.redraw()

    def set_highlight(self, on: bool) -> None:
        self.highlight = on
        self.redraw()

    def highlighted_nodes(self) -> tuple[str, ...]:
        return self.walk.visited if (self.walk is not None and self.highlight) else ()

    def fit(self) -> None:
        self._user_zoomed = False
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        if not self._user_zoomed:
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if not self._user_zoomed:
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def wheelEvent(self, event) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self._user_zoomed = True
            self.scale(factor, factor)
            return
        super().wheelEvent(event)

    def png_bytes(self, scale: float = 2.0) -> bytes:
        rect = self.scene().sceneRect()
        image = QImage(int(rect.width() * scale), int(rect.height() * scale),
                       QImage.Format.Format_ARGB32)
        image.fill(PAPER)
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing |
                               QPainter.RenderHint.TextAntialiasing)
        self.scene().render(painter, QRectF(0, 0, image.width(), image.height()), rect)
        painter.end()
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")
        buf.close()
        return bytes(data.data())

    def pdf_bytes(self) -> bytes:
        """One landscape A3 page with the whole map scaled to fit (A3: the map is wide, and
        on A4 its smallest text gets too small to read on paper)."""
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buf)
        writer.setResolution(300)
        writer.setTitle("Routekaart mensenhandel")
        writer.setCreator("Aandacht")
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A3),
                                         QPageLayout.Orientation.Landscape,
                                         QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter))
        painter = QPainter(writer)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing |
                               QPainter.RenderHint.TextAntialiasing)
        target = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
        target.moveTo(0, 0)
        self.scene().render(painter, target, self.scene().sceneRect(),
                            Qt.AspectRatioMode.KeepAspectRatio)
        painter.end()
        buf.close()
        return bytes(data.data())

    # --- drawing --------------------------------------------------------------------------
    def redraw(self) -> None:
        scene = self.scene()
        scene.clear()
        self.cards = {}
        tree = self.tree
        walk = self.walk if self.highlight else None
        chosen = {(s.node_id, a) for s in walk.steps for a in s.answer_ids} if walk else set()
        visited = set(walk.visited) if walk else set()
        current = walk.current.id if (walk and walk.current) else None
        collected = set(walk.outcome_ids) if walk else set()
        # Added on the path but dropped because another recipient covers it (covered_by).
        self._covered = ({o for s in walk.steps for a in s.answer_ids
                          for o in tree.added_by(tree.node(s.node_id).answer(a))} - collected
                         if walk else set())

        title = scene.addSimpleText("Routekaart mensenhandel", _font(15, bold=True))
        title.setBrush(INK)
        title.setPos(MARGIN, MARGIN - 6)
        status = tree.source.get("status", "")
        sub = scene.addSimpleText(
            ("Reconstructie volgens de domeinbrief; te controleren tegen de regionale "
             "signalenroutekaart (RSIV). " if status == "reconstructie" else "")
            + f"Bron: {tree.source.get('title', '')}, {tree.source.get('date', '')}.",
            _font(8.5))
        sub.setBrush(MUTED)
        sub.setPos(MARGIN, MARGIN + 20)
        top = MARGIN + 52

        columns = self._columns(tree)
        # Build the cards (sizes first), then place them column by column.
        for nid, col in columns.items():
            self.cards[nid] = self._measure(tree, nid, col)
        placed: dict[int, list[_Card]] = {}
        for nid in self._order(tree, columns):
            card = self.cards[nid]
            parents = [(self.cards[p].port(None if tree.node(p).multiple else a.id))
                       for p in self.cards for a in tree.node(p).answers
                       if a.next == nid and p in placed_ids(placed)]
            want = (sum(pt.y() for pt in parents) / len(parents) - card.header_h / 2
                    if parents else top)
            below = max((c.y + c.height + GAP_Y for c in placed.get(card.column, [])),
                        default=top)
            card.y = max(want, below, top)
            card.x = MARGIN + card.column * (CARD_W + GAP_X)
            placed.setdefault(card.column, []).append(card)

        # Edges first, so the cards sit on top of them.
        for nid, card in self.cards.items():
            node = tree.node(nid)
            if node.multiple:
                nxt = node.answers[0].next
                if nxt:
                    on = any((nid, a.id) in chosen for a in node.answers)
                    self._edge(card.port(None), self.cards[nxt], on)
                continue
            for a in node.answers:
                if a.next:
                    self._edge(card.port(a.id), self.cards[a.next], (nid, a.id) in chosen,
                               active=tree.is_on(a.when))
        for nid, card in self.cards.items():
            self._draw_card(tree, card, chosen, nid in visited, nid == current, collected)

        bottom = max(c.y + c.height for c in self.cards.values()) + 26
        self._legend(MARGIN, bottom)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-MARGIN / 2, -MARGIN / 2,
                                                              MARGIN / 2, MARGIN / 2))

    @staticmethod
    def _columns(tree: Routekaart) -> dict[str, int]:
        """Depth of each node by its longest path from the start (the tree is acyclic)."""
        depth = {tree.start: 0}
        changed = True
        while changed:
            changed = False
            for nid in list(depth):
                for a in tree.node(nid).answers:
                    if a.next and depth.get(a.next, -1) < depth[nid] + 1:
                        depth[a.next] = depth[nid] + 1
                        changed = True
        return {nid: depth[nid] for nid in tree.nodes if nid in depth}

    @staticmethod
    def _order(tree: Routekaart, columns: dict[str, int]) -> list[str]:
        # Columns left to right; inside a column, in the order the answers reach them.
        seen: list[str] = []
        todo = [tree.start]
        while todo:
            nid = todo.pop(0)
            if nid in seen:
                continue
            seen.append(nid)
            todo += [a.next for a in tree.node(nid).answers if a.next]
        return sorted(seen, key=lambda n: (columns[n], seen.index(n)))

    def _measure(self, tree: Routekaart, nid: str, column: int) -> _Card:
        node = tree.node(nid)
        header_h = self._text_height(node.short, _font(10, bold=True), CARD_W - 2 * PAD) + 14
        rows = []
        y = header_h
        for a in node.answers:
            text_h = self._answer_height(a, tree)
            chips_h = self._chips_height(tree, a)
            h = text_h + chips_h + 10
            rows.append(_Row(a.id, y, h, a.next is None))
            y += h
        return _Card(nid, column, 0.0, 0.0, header_h, rows, y + 4)

    @staticmethod
    def _text_height(text: str, font: QFont, width: float) -> float:
        # Measured with the same item that draws it, so wrapping is identical.
        return _text_item(text, font, INK, width).boundingRect().height()

    @staticmethod
    def _answer_text(answer, tree: Routekaart) -> str:
        return answer.label + ("" if tree.is_on(answer.when) else " (instelling uit)")

    def _answer_height(self, answer, tree: Routekaart) -> float:
        # Bold is the widest case (a picked answer), so rows never grow when highlighted.
        return self._text_height(self._answer_text(answer, tree), _font(8.5, bold=True),
                                 CARD_W - 2 * PAD)

    def _chip_labels(self, tree: Routekaart, answer) -> list[tuple[str, str, bool]]:
        out = []
        for oid in answer.adds:
            o = tree.outcome(oid)
            out.append((oid, o.short, tree.is_on(o.when) and tree.is_on(answer.when)))
        return out

    def _chips_height(self, tree: Routekaart, answer) -> float:
        chips = self._chip_labels(tree, answer)
        if not chips and answer.next is not None:
            return 0.0
        lines, x = 1, 0.0
        fm = QFontMetricsF(_font(7.5, bold=True))
        for oid, label, active in chips:
            worst = label + ("" if active else " (uit)")
            if tree.outcome(oid).covered_by:
                worst += COVERED_SUFFIX  # room for the mark a walk may add
            w = fm.horizontalAdvance(worst) + 12
            if x + w > CARD_W - 2 * PAD and x > 0:
                lines += 1
                x = 0.0
            x += w + 4
        if answer.next is None and x + 40 > CARD_W - 2 * PAD and x > 0:
            lines += 1  # the "einde" mark wraps to its own line, as _draw_chips does
        return lines * (CHIP_H + 3) + 2

    def _draw_card(self, tree: Routekaart, card: _Card, chosen: set, visited: bool,
                   current: bool, collected: set[str]) -> None:
        scene = self.scene()
        node = tree.node(card.node_id)
        pen = QPen(ACCENT if (visited or current) else RULE, 2.4 if visited else 1.1)
        if current:
            pen.setStyle(Qt.PenStyle.DashLine)
        box = QGraphicsRectItem(card.rect)
        box.setPen(pen)
        box.setBrush(QBrush(CARD))
        box.setData(0, card.node_id)
        box.setToolTip(node.question)
        scene.addItem(box)
        header = _text_item(node.short, _font(10, bold=True),
                            ACCENT if visited or current else INK, CARD_W - 2 * PAD)
        header.setPos(card.x + PAD, card.y + 7)
        scene.addItem(header)
        if current:
            here = scene.addSimpleText("u bent hier", _font(7.5, bold=True))
            here.setBrush(ACCENT)
            here.setPos(card.x + CARD_W - here.boundingRect().width() - 6, card.y - 16)
        if node.multiple:
            tag = scene.addSimpleText("meer antwoorden mogelijk", _font(7, italic=True))
            tag.setBrush(MUTED)
            tag.setPos(card.x + 6, card.y + card.height + 2)
        for row, answer in zip(card.rows, node.answers, strict=True):
            active = tree.is_on(answer.when)
            picked = (card.node_id, answer.id) in chosen
            line = scene.addLine(card.x + 6, card.y + row.top, card.x + CARD_W - 6,
                                 card.y + row.top, QPen(QColor("#e4dfd8"), 0.8))
            line.setZValue(1)
            if picked:
                bg = scene.addRect(QRectF(card.x + 1.5, card.y + row.top + 0.5, CARD_W - 3,
                                          row.height - 1), QPen(Qt.PenStyle.NoPen),
                                   QBrush(ACCENT_SOFT))
                bg.setZValue(0.5)
            text = _text_item(self._answer_text(answer, tree), _font(8.5, bold=picked),
                              INK if active else QColor("#9aa5b1"), CARD_W - 2 * PAD)
            text.setPos(card.x + PAD, card.y + row.top + 4)
            text.setZValue(2)
            scene.addItem(text)
            th = self._answer_height(answer, tree)
            self._draw_chips(tree, answer, card.x + PAD, card.y + row.top + th + 6, collected,
                             picked)
            if answer.next is not None and not node.multiple:
                dot = scene.addEllipse(card.x + CARD_W - 4, card.y + row.top + row.height / 2 - 4,
                                       8, 8, QPen(ACCENT if picked else RULE),
                                       QBrush(ACCENT if picked else PAPER))
                dot.setZValue(3)

    def _draw_chips(self, tree: Routekaart, answer, x0: float, y0: float, collected: set[str],
                    picked: bool) -> None:
        scene = self.scene()
        font = _font(7.5, bold=True)
        fm = QFontMetricsF(font)
        x, y = x0, y0
        chips = self._chip_labels(tree, answer)
        for oid, label, active in chips:
            got = oid in collected and picked
            covered = oid in self._covered and picked
            text = label + ("" if active else " (uit)") + (COVERED_SUFFIX if covered else "")
            w = fm.horizontalAdvance(text) + 12
            if x + w > x0 + CARD_W - 2 * PAD and x > x0:
                x, y = x0, y + CHIP_H + 3
            rect = QRectF(x, y, w, CHIP_H)
            path = QPainterPath()
            path.addRoundedRect(rect, 8, 8)
            pen = QPen(ACCENT if active else QColor("#9aa5b1"), 1)
            if not active:
                pen.setStyle(Qt.PenStyle.DashLine)
            fill = ACCENT if got else PAPER
            chip = scene.addPath(path, pen, QBrush(fill))
            chip.setZValue(2)
            chip.setData(0, f"chip:{oid}")
            chip.setToolTip(tree.outcome(oid).title)
            label_item = QGraphicsSimpleTextItem(text)
            label_item.setFont(font)
            label_item.setBrush(PAPER if got else (ACCENT if active else QColor("#9aa5b1")))
            label_item.setPos(x + 6, y + (CHIP_H - fm.height()) / 2)
            label_item.setZValue(3)
            scene.addItem(label_item)
            x += w + 4
        if answer.next is None:
            end = QGraphicsSimpleTextItem("einde")
            end.setFont(_font(7.5, italic=True))
            end.setBrush(MUTED)
            if x + 40 > x0 + CARD_W - 2 * PAD and x > x0:
                x, y = x0, y + CHIP_H + 3
            end.setPos(x + 2, y + (CHIP_H - fm.height()) / 2)
            end.setZValue(3)
            scene.addItem(end)

    def _edge(self, start: QPointF, target: _Card, on: bool, active: bool = True) -> None:
        end = target.entry
        points = [start]
        # Long arrows bend under any card standing in their way.
        for card in self.cards.values():
            if card is target or not (start.x() + 1 < card.x < end.x() - 1):
                continue
            t = (card.x + CARD_W / 2 - start.x()) / max(end.x() - start.x(), 1)
            y_at = start.y() + t * (end.y() - start.y())
            if card.y - 8 <= y_at <= card.y + card.height + 8:
                points.append(QPointF(card.x + CARD_W / 2, card.y + card.height + 16))
        points.append(end)
        points.sort(key=lambda p: p.x())
        path = QPainterPath(points[0])
        for a, b in zip(points, points[1:], strict=False):
            mid = (a.x() + b.x()) / 2
            path.cubicTo(QPointF(mid, a.y()), QPointF(mid, b.y()), b)
        pen = QPen(ACCENT if on else (RULE if active else QColor("#d9d9d9")), 3 if on else 1.3)
        if not active:
            pen.setStyle(Qt.PenStyle.DashLine)
        item = QGraphicsPathItem(path)
        item.setPen(pen)
        item.setZValue(-1 if not on else -0.5)
        item.setData(0, "edge:on" if on else "edge")
        self.scene().addItem(item)
        # arrow head
        head = QPainterPath(end)
        head.lineTo(end.x() - 8, end.y() - 4.5)
        head.lineTo(end.x() - 8, end.y() + 4.5)
        head.closeSubpath()
        arrow = self.scene().addPath(head, QPen(pen.color(), 1), QBrush(pen.color()))
        arrow.setZValue(item.zValue())

    def _legend(self, x: float, y: float) -> None:
        scene = self.scene()
        font = _font(8)
        items = [
            (ACCENT, PAPER, "ontvanger die het antwoord toevoegt"),
            (ACCENT, ACCENT, "ontvanger op het gekozen pad"),
            (ACCENT, PAPER, f"…{COVERED_SUFFIX}: op het pad, maar al gedekt door een andere "
                            "ontvanger (bijv. OOV)"),
            (QColor("#9aa5b1"), PAPER, "ontvanger of antwoord uit door een instelling van de "
                                       "gemeente"),
        ]
        for i, (border, fill, text) in enumerate(items):
            path = QPainterPath()
            path.addRoundedRect(QRectF(x, y + i * 20, 28, 14), 7, 7)
            pen = QPen(border, 1)
            if i == 3:
                pen.setStyle(Qt.PenStyle.DashLine)
            scene.addPath(path, pen, QBrush(fill))
            label = scene.addSimpleText(text, font)
            label.setBrush(MUTED)
            label.setPos(x + 36, y + i * 20)
        x2 = x + 430
        line = scene.addLine(x2, y + 7, x2 + 28, y + 7, QPen(ACCENT, 3))
        line.setZValue(0)
        label = scene.addSimpleText("gekozen antwoorden en pad", font)
        label.setBrush(MUTED)
        label.setPos(x2 + 36, y)


def _text_item(text: str, font: QFont, colour: QColor, width: float) -> QGraphicsTextItem:
    item = QGraphicsTextItem()
    item.document().setDocumentMargin(0)
    item.setFont(font)
    item.setDefaultTextColor(colour)
    item.setTextWidth(width)
    item.setPlainText(text)
    return item


def placed_ids(placed: dict[int, list[_Card]]) -> set[str]:
    return {c.node_id for cards in placed.values() for c in cards}
