"""The Routekaart navigation page (a walk without a case) and the dialog for the
gemeente's routekaart settings (the points the brief marks uncertain)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.errors import AandachtError
from aandacht.services.routekaart import RoutekaartService
from aandacht.ui.cases.common import ErrorBanner
from aandacht.ui.routekaart import hooks
from aandacht.ui.routekaart.route_widget import RouteWidget, route_service


class RouteSettingsDialog(QDialog):
    """Each setting with its description; saving validates through the service."""

    def __init__(self, routes: RoutekaartService, parent: QWidget | None = None):
        super().__init__(parent)
        self.routes = routes
        self.setWindowTitle("Instellingen van de routekaart")
        self.resize(640, 620)
        self.banner = ErrorBanner(self)
        intro = QLabel("Deze punten zijn in de domeinbrief onzeker. Laat ze bevestigen door de "
                       "functionaris gegevensbescherming (FG) en de ketenregisseur (RSIV); de "
                       "routekaart toont daarna wat uw gemeente heeft vastgesteld.",
                       objectName="hint")
        intro.setWordWrap(True)
        self.inputs: dict[str, QCheckBox | QPlainTextEdit] = {}
        values = routes.setting_values()
        body = QWidget()
        form = QVBoxLayout(body)
        for spec in routes.setting_specs():
            if spec.type == "bool":
                box = QCheckBox(spec.label, objectName=f"setting_{spec.key}")
                box.setStyleSheet("QCheckBox { font-weight: bold; }")
                box.setChecked(bool(values[spec.key]))
                form.addWidget(box)
                self.inputs[spec.key] = box
            else:
                title = QLabel(spec.label)
                title.setStyleSheet("QLabel { font-weight: bold; }")
                form.addWidget(title)
                edit = QPlainTextEdit(str(values[spec.key]), objectName=f"setting_{spec.key}")
                edit.setFixedHeight(64)
                form.addWidget(edit)
                self.inputs[spec.key] = edit
            desc = QLabel(spec.description, objectName="hint")
            desc.setWordWrap(True)
            form.addWidget(desc)
            form.addSpacing(8)
        form.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Opslaan")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def values(self) -> dict:
        out = {}
        for key, widget in self.inputs.items():
            out[key] = (widget.isChecked() if isinstance(widget, QCheckBox)
                        else widget.toPlainText())
        return out

    def save(self) -> None:
        try:
            self.routes.set_settings(self.values())
        except AandachtError as err:
            self.banner.show_message(str(err))  # the dialog stays open; nothing typed is lost
            return
        self.accept()


class RoutekaartPage(QWidget):
    open_case = Signal(int)
    handover_requested = Signal(int, str)

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        head = QHBoxLayout()
        head.addWidget(QLabel("Routekaart", objectName="pageTitle"))
        head.addStretch(1)
        self.settings_button = QPushButton("Instellingen van de gemeente…",
                                           objectName="routeSettings")
        self.settings_button.clicked.connect(self.edit_settings)
        head.addWidget(self.settings_button)
        hint = QLabel("Welke partner krijgt welk signaal, met welke gegevens, op welke grond. "
                      "Ook te gebruiken zonder casus, bijvoorbeeld als een collega belt; bewaar "
                      "de route daarna als casus.", objectName="hint")
        hint.setWordWrap(True)
        self.route = RouteWidget(services, None, self)
        self.route.open_case.connect(self.open_case)
        self.route.handover_requested.connect(self.handover_requested)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(hint)
        layout.addWidget(self.route, 1)

    def edit_settings(self) -> None:
        dialog = RouteSettingsDialog(route_service(self.services), self)
        if hooks.run_dialog(dialog):
            self.route.refresh()

    def clear(self) -> None:
        self.route.clear()

    def refresh(self) -> None:
        self.route.refresh()
