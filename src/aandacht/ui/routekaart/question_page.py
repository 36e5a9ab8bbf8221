"""One reusable question page: whatever node the walk names, with its answers.

The page knows nothing about the tree; it shows a node and reports the chosen answer
ids. Single-choice questions use radio buttons, multiple-choice questions check boxes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.routekaart import Answer, Node


class QuestionPage(QWidget):
    answered = Signal(tuple)  # the chosen answer ids
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._node: Node | None = None
        self._buttons: dict[str, QAbstractButton] = {}
        self._group: QButtonGroup | None = None

        self.step_label = QLabel(objectName="hint")
        self.question_label = QLabel(objectName="routeQuestion")
        self.question_label.setWordWrap(True)
        self.question_label.setStyleSheet("QLabel { font-size: 14pt; font-weight: bold; "
                                          "color: #1f2933; padding: 2px 0 4px 0; }")
        self.help_label = QLabel(objectName="hint")
        self.help_label.setWordWrap(True)
        self.multiple_hint = QLabel("Meer antwoorden mogelijk.", objectName="hint")
        self.multiple_hint.setStyleSheet("QLabel { font-style: italic; }")

        self._answers_box = QWidget()
        self._answers_layout = QVBoxLayout(self._answers_box)
        self._answers_layout.setContentsMargins(0, 4, 0, 4)
        self._answers_layout.setSpacing(6)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._answers_box)
        scroll.viewport().setAutoFillBackground(False)
        self._answers_box.setAutoFillBackground(False)

        self.back_button = QPushButton("← Vorige vraag", objectName="routeBack")
        self.back_button.clicked.connect(self.back_requested)
        self.next_button = QPushButton("Verder →", objectName="routeNext")
        self.next_button.setDefault(True)
        self.next_button.setAutoDefault(True)
        self.next_button.clicked.connect(self._submit)

        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.step_label)
        layout.addWidget(self.question_label)
        layout.addWidget(self.help_label)
        layout.addWidget(self.multiple_hint)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    # --- showing ------------------------------------------------------------------------
    def show_node(self, node: Node, answers: Sequence[Answer], *, number: int,
                  can_go_back: bool, preselect: Sequence[str] = ()) -> None:
        self._node = node
        self.step_label.setText(f"Vraag {number}")
        self.question_label.setText(node.question)
        self.help_label.setText(node.help)
        self.help_label.setVisible(bool(node.help))
        self.multiple_hint.setVisible(node.multiple)
        self.back_button.setEnabled(can_go_back)
        self._rebuild(node, answers, preselect)
        self._update_next()

    def _rebuild(self, node: Node, answers: Sequence[Answer], preselect: Sequence[str]) -> None:
        while self._answers_layout.count():
            item = self._answers_layout.takeAt(0)
            old = item.widget()
            if old is not None:
                old.hide()  # gone at once, not only after the next deferred delete
                old.setParent(None)
                old.deleteLater()
        self._buttons.clear()
        if self._group is not None:
            self._group.deleteLater()
        self._group = None if node.multiple else QButtonGroup(self)
        for a in answers:
            button: QAbstractButton = QCheckBox(a.label) if node.multiple else QRadioButton(a.label)
            button.setObjectName(f"answer_{a.id}")
            button.setStyleSheet("QAbstractButton { font-size: 11pt; padding: 3px 0; }")
            if self._group is not None:
                self._group.addButton(button)
            button.setChecked(a.id in preselect)
            button.toggled.connect(lambda on, aid=a.id: self._toggled(aid, on))
            self._buttons[a.id] = button
            self._answers_layout.addWidget(button)
            if a.help:
                hint = QLabel(a.help, objectName="hint")
                hint.setWordWrap(True)
                hint.setContentsMargins(26, 0, 0, 4)
                self._answers_layout.addWidget(hint)
        self._answers_layout.addStretch(1)

    def _toggled(self, answer_id: str, on: bool) -> None:
        # An exclusive answer ("Nog onbekend") clears the others and the other way round,
        # so the AF cannot build a combination the walk would refuse.
        node = self._node
        if node is not None and node.multiple and on:
            chosen = node.answer(answer_id)
            for other_id, button in self._buttons.items():
                if other_id == answer_id:
                    continue
                other = node.answer(other_id)
                if chosen.exclusive or other.exclusive:
                    button.setChecked(False)
        self._update_next()

    def _update_next(self) -> None:
        self.next_button.setEnabled(bool(self.selected()))

    # --- reading ------------------------------------------------------------------------
    def selected(self) -> tuple[str, ...]:
        return tuple(aid for aid, b in self._buttons.items() if b.isChecked())

    def button(self, answer_id: str) -> QAbstractButton:
        return self._buttons[answer_id]

    def _submit(self) -> None:
        ids = self.selected()
        if ids:
            self.answered.emit(ids)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.next_button.isEnabled():
            self._submit()
            return
        super().keyPressEvent(event)
