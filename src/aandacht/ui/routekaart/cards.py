"""A recipient card at the end of a walk: who, why, how to reach them, what may be shared
and on what ground, and — for SHOP and OOV — the way into the handover sheet.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from aandacht.domain.routekaart import HANDOVER_LABELS, Outcome
from aandacht.domain.sociale_kaart import Contact
from aandacht.ui.cases.common import tag

PERSONAL_DATA_KINDS = {"geen": "ok", "voorwaardelijk": "special", "toegestaan": "identifying"}


def _bullets(items: Sequence[str], colour: str = "#1f2933") -> str:
    # Plain bullet lines: Qt's <ul> adds a blank line above the list.
    return "<br>".join(f"<span style='color:{colour}'>•&nbsp;{html.escape(i)}</span>"
                       for i in items)


class OutcomeCard(QFrame):
    handover_clicked = Signal(str)  # "shop" | "oov"

    def __init__(self, outcome: Outcome, contact: Contact | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.outcome = outcome
        self.setObjectName(f"card_{outcome.id}")
        self.setStyleSheet(
            f"QFrame#card_{outcome.id} {{ background:#ffffff; border:1px solid #ddd8d0; "
            "border-left:4px solid #7a1f3d; border-radius:4px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(4)

        head = QHBoxLayout()
        title = QLabel(outcome.title, objectName="cardTitle")
        title.setStyleSheet("QLabel { font-size: 12pt; font-weight: bold; color: #7a1f3d; }")
        title.setWordWrap(True)
        head.addWidget(title, 1)
        self.personal_tag = tag(outcome.personal_data_label,
                                PERSONAL_DATA_KINDS[outcome.personal_data], self)
        head.addWidget(self.personal_tag, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)

        who = contact.name if contact else outcome.contact
        self.who_label = self._rich(f"<b>{html.escape(who)}</b> — {html.escape(outcome.role)}")
        layout.addWidget(self.who_label)

        self.reach_label = self._rich(self._reach_html(contact))
        self.reach_label.setObjectName("reach")
        self.reach_label.setOpenExternalLinks(False)
        layout.addWidget(self.reach_label)

        layout.addWidget(self._section("Waarom", html.escape(outcome.why)))
        layout.addWidget(self._section("Grondslag", html.escape(outcome.ground)))
        layout.addWidget(self._section("Mag gedeeld worden", _bullets(outcome.share)))
        if outcome.conditional:
            layout.addWidget(self._section("Alleen met een vastgelegde grondslag",
                                           _bullets(outcome.conditional)))
        layout.addWidget(self._section("Nooit", _bullets(outcome.never, "#8a1c12")))
        if outcome.notes:
            layout.addWidget(self._section("Let op", _bullets(outcome.notes)))

        self.handover_button: QPushButton | None = None
        if outcome.handover:
            row = QHBoxLayout()
            row.addStretch(1)
            self.handover_button = QPushButton("Overdracht maken…",
                                               objectName=f"handover_{outcome.id}")
            self.handover_button.setToolTip(HANDOVER_LABELS[outcome.handover] +
                                            ": alleen de minimale gegevens van dit formulier.")
            self.handover_button.clicked.connect(
                lambda: self.handover_clicked.emit(outcome.handover))
            row.addWidget(self.handover_button)
            layout.addLayout(row)

    @staticmethod
    def _rich(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _section(self, heading: str, body_html: str) -> QLabel:
        return self._rich(f"<span style='color:#52606d; font-weight:bold'>"
                          f"{html.escape(heading)}</span><br>{body_html}")

    @staticmethod
    def _reach_html(contact: Contact | None) -> str:
        if contact is None:
            return "<i>Niet op de sociale kaart.</i>"
        parts = []
        if contact.phone:
            phone = f"☎ <b>{html.escape(contact.phone)}</b>"
            if not contact.verified:
                phone += (" <span style='background:#fde2e1; color:#8a1c12'>"
                          "&nbsp;nummer nog niet bevestigd&nbsp;</span>")
            parts.append(phone)
        else:
            parts.append("<span style='background:#eeeeee; color:#444444'>"
                         "&nbsp;nummer nog niet ingevuld (sociale kaart)&nbsp;</span>")
        if contact.email:
            parts.append(f"✉ {html.escape(contact.email)}")
        if contact.website:
            parts.append(html.escape(contact.website))
        if contact.hours:
            parts.append(f"bereikbaar: {html.escape(contact.hours)}")
        return " &nbsp;·&nbsp; ".join(parts)

    def text(self) -> str:
        """Everything the card says, as plain text (for tests and for copying)."""
        labels = self.findChildren(QLabel)
        return "\n".join(lbl.text() for lbl in labels)
