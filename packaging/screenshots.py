"""Regenerate the README screenshots from the real app in demo mode.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots.py [--out docs/screenshots]

Builds the demo exactly as `aandacht --demo` does (app.py's `_start_demo`, with a cheap KDF),
shows the real MainWindow at 1280×800 and saves each screen with `QWidget.grab()`. Only
fictitious demo data is ever on a screenshot. The demo folder is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

ROOT = Path(__file__).resolve().parents[1]
try:
    import aandacht  # noqa: F401
except ModuleNotFoundError:  # run from a checkout without an installed package
    sys.path.insert(0, str(ROOT / "src"))

SIZE = (1280, 800)
# The route the Routekaart screenshots walk: an adult who wants help, labour exploitation.
ROUTE = ("nee", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf", ("arbeid",))


def settle(ms: int = 150) -> None:
    """Let layouts, timers and the PDF preview finish before a grab."""
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


class Shooter:
    def __init__(self, out: Path):
        self.out = out
        self.saved: list[Path] = []

    def __call__(self, widget, name: str, ms: int = 150) -> None:
        if widget.isWindow() and widget.inherits("QMainWindow"):
            widget.resize(*SIZE)  # back to 1280×800 where the pages allow it
        settle(ms)
        path = self.out / name
        if not widget.grab().save(str(path), "PNG"):
            raise SystemExit(f"kon {path} niet opslaan")
        self.saved.append(path)
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def case_id(services, label: str) -> int:
    return next(cid for cid, name in services.cases.labels() if name == label)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from aandacht import app as app_module
    from aandacht.store.kdf import FAST_PARAMS

    qt_app = app_module.make_application()
    demo = app_module._start_demo(FAST_PARAMS)
    shoot = Shooter(args.out)
    try:
        window = app_module._demo_window(demo.session)
        window.resize(*SIZE)
        window.show()
        for name, make in screens(window, demo.services, shoot):
            make()
        window.close()
    finally:
        demo.close()
    qt_app.processEvents()
    print(f"{len(shoot.saved)} schermafdrukken in {args.out}")
    return 0


def screens(window, services, shoot: Shooter) -> list[tuple[str, Callable[[], None]]]:
    from PySide6.QtCore import Qt

    from aandacht.app import DEMO_PASSPHRASE
    from aandacht.services.demo import VITAL_FIELDS
    from aandacht.ui.cases.case_table_model import COL_MELDCODE
    from aandacht.ui.cases.case_view import TAB_MELDCODE, TAB_TIJDLIJN
    from aandacht.ui.handover.dialog import HandoverDialog
    from aandacht.ui.unlock import WelcomeDialog

    def visit(key: str):
        window.close_case()
        fresh = key not in window.pages
        window.show_page(key)
        page = window.pages[key]
        if fresh:
            # MainWindow refreshes a page on later visits only; pages that load their data in
            # refresh() show it from the second visit on. Show what the AF sees then.
            page.refresh()
        return page

    def page(key: str, name: str) -> Callable[[], None]:
        def make() -> None:
            visit(key)
            shoot(window, name)
        return make

    def disclosures() -> None:
        page = visit("verstrekkingen")
        page.verify()  # "Log controleren": the hash chain is intact
        rows = page.model.rows
        page.table.selectRow(next(i for i, v in enumerate(rows) if "Vitaal" in v.grounds))
        shoot(window, "verstrekkingen.png")

    def annual() -> None:
        page = visit("jaaroverzicht")
        shoot(window, "jaaroverzicht.png")
        # The routekaart card: the recipients of the recorded walks, per quarter.
        card = page.cards["route"]
        scroll = card.parentWidget().parentWidget().parentWidget()
        scroll.ensureWidgetVisible(card, 0, 0)
        shoot(window, "jaaroverzicht_routes.png")

    def cases() -> None:
        page = visit("casussen")
        # Sorted on the Meldcode column (a click on its header): the walks come first.
        page.table.sortByColumn(COL_MELDCODE, Qt.SortOrder.DescendingOrder)
        page.table.scrollToTop()
        shoot(window, "casussen.png")

    def timeline() -> None:
        window.open_case(case_id(services, "Casus Zilverreiger"))
        view = window.case_view.case_widget
        view.tabs.setCurrentIndex(TAB_TIJDLIJN)
        corrected = next(e for e in view.entries if e.history)
        view.select_entry(corrected.id)
        shoot(window, "casus_tijdlijn.png")

    def meldcode() -> None:
        window.open_case(case_id(services, "Casus Ransuil"))
        view = window.case_view.case_widget
        view.tabs.setCurrentIndex(TAB_MELDCODE)
        settle()
        # Scroll to the afwegingsvragen and what they lead to: melden is required.
        walk = view._feature_widgets[TAB_MELDCODE]
        walk.scroll.ensureWidgetVisible(walk.page.outcome, 0, 16)
        shoot(window, "meldcode_stap4.png")

    def route() -> None:
        window.close_case()
        window.show_page("routekaart")
        widget = window.pages["routekaart"].route
        widget.tabs.setCurrentIndex(0)
        for answer in ROUTE:
            for a in (answer,) if isinstance(answer, str) else answer:
                widget.question.button(a).click()
            widget.question.next_button.click()
        shoot(window, "routekaart_end.png")
        widget.tabs.setCurrentIndex(1)
        settle()
        widget.map.fit()
        shoot(window, "routekaart_map.png", 300)
        widget.tabs.setCurrentIndex(0)

    def handover() -> None:
        huismus = case_id(services, "Casus Huismus")
        window.open_case(huismus)
        dialog = HandoverDialog(services, huismus, "shop", window)
        dialog.resize(*SIZE)
        dialog.request_combo.setCurrentIndex(dialog.request_combo.findData("zorgcoordinatie"))
        for fid in VITAL_FIELDS:  # what the demo's own sheet for this case carries
            dialog.checks[fid].setChecked(True)
        dialog.update_preview()
        dialog.show()
        settle(300)
        # Show the grounds and the unlocked personal data, as the AF sees them while choosing.
        scroll = dialog.checks["naam"].parentWidget().parentWidget().parentWidget().parentWidget()
        if hasattr(scroll, "ensureWidgetVisible"):
            scroll.ensureWidgetVisible(dialog.checks["gezondheid"], 0, 40)
        shoot(dialog, "overdracht_dialoog.png", 300)
        dialog.reject()
        dialog.deleteLater()

    def welcome() -> None:
        dialog = WelcomeDialog(create=lambda gemeente, phrase: None,
                               restore=lambda path, phrase: None)
        # As a new AF fills it in: the strength of the passphrase shows while typing.
        dialog.gemeente.setText("Gemeente Voorbeeld")
        dialog.passphrase.setText("groene reiger boven de polder")
        dialog.confirm.setText("groene reiger boven de polder")
        dialog.show()
        shoot(dialog, "welkom.png")
        dialog.close()
        dialog.deleteLater()

    def locked() -> None:
        window.close_case()
        window.show_page("overzicht")
        window.lock()
        shoot(window, "vergrendeld.png")
        panel = window.unlock_panel
        panel.passphrase.setText(DEMO_PASSPHRASE)
        panel.submit()

    # Two pages make the window wider than 1280 px once built, and a page stays built until
    # the vault locks: the routekaart at the end of a walk (~1306 px) and the case list
    # (~1474 px). They go last, so the other screens keep the size the README promises.
    return [
        ("overzicht", page("overzicht", "overzicht.png")),
        ("tijdlijn", timeline),
        ("meldcode", meldcode),
        ("overdracht", handover),
        ("verstrekkingen", disclosures),
        ("jaaroverzicht", annual),
        ("welkom", welcome),
        ("vergrendeld", locked),
        ("routekaart", route),
        ("casussen", cases),
    ]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
