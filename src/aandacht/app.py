"""Composition root: arguments → paths → Qt → one-instance lock → welcome/unlock → main window."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from aandacht import __version__

DEMO_PASSPHRASE = "demo demo demo demo"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="aandacht",
        description="Aandacht: offline werkinstrument voor de aandachtsfunctionaris mensenhandel.",
    )
    parser.add_argument("--version", action="version", version=f"Aandacht {__version__}")
    parser.add_argument("--demo", action="store_true",
                        help="open een tijdelijke kluis met fictieve casussen (voor trainingen)")
    return parser.parse_args(argv)


def install_translations(app) -> list:
    """Qt's own buttons and dialogs in Dutch (qtbase_nl), as the AF expects."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    kept = []
    for name in ("qtbase_nl", "qt_nl"):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            kept.append(tr)
    return kept


def apply_style(app) -> None:
    from aandacht.content import resource_root

    qss = resource_root() / "style" / "aandacht.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))


def make_application():
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Aandacht")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Aandacht")
    app.setStyle("Fusion")
    install_translations(app)
    apply_style(app)
    return app


UNEXPECTED = ("Er ging iets mis in Aandacht. Wat u eerder opsloeg, staat veilig in de kluis. "
              "Probeer het opnieuw; blijft het gebeuren, sluit Aandacht dan af en start opnieuw.")


def error_message(exc: BaseException) -> str:
    """What the AF reads for an error no screen caught: our own Dutch sentence, or a calm
    general one. Never a traceback: it could quote case text, and it helps no AF."""
    from aandacht.domain.errors import AandachtError

    return str(exc) if isinstance(exc, AandachtError) else UNEXPECTED


def install_error_hook() -> None:
    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            sys.__excepthook__(exc_type, exc, tb)
            return
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, "Aandacht", error_message(exc))

    sys.excepthook = hook


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    app = make_application()
    install_error_hook()
    if args.demo:
        return _run_demo(app)
    from aandacht.paths import AppPaths

    return _run_normal(app, AppPaths.default().ensure())


def close_on_signals(window) -> None:
    """SIGTERM (log-out, shutdown) and Ctrl+C close the window the normal way: pages save
    their drafts, the vault locks, a demo folder is removed. Python only sees a signal when
    it runs, so a short timer hands it control while Qt's event loop waits."""
    import signal

    from PySide6.QtCore import QTimer

    def close(*_args) -> None:
        window.close()

    signal.signal(signal.SIGTERM, close)
    signal.signal(signal.SIGINT, close)
    ticker = QTimer(window)
    ticker.timeout.connect(lambda: None)
    ticker.start(300)


def _run_normal(app, paths) -> int:
    from PySide6.QtWidgets import QDialog, QMessageBox

    from aandacht.domain.errors import AandachtError
    from aandacht.services.session import Session
    from aandacht.store import VaultInUse
    from aandacht.ui.main_window import MainWindow
    from aandacht.ui.unlock import WelcomeDialog

    session = Session(paths.vault)
    try:
        session.claim()
    except VaultInUse as exc:
        QMessageBox.warning(None, "Aandacht is al geopend", str(exc))
        return 1
    if not session.exists:
        welcome = WelcomeDialog(
            create=lambda gemeente, phrase: session.create(phrase, gemeente),
            restore=lambda path, phrase: session.restore(Path(path), phrase),
        )
        if welcome.exec() != QDialog.DialogCode.Accepted:
            session.close()
            return 0
    window = MainWindow(session)
    window.show()
    close_on_signals(window)
    try:
        return app.exec()
    except AandachtError:  # pragma: no cover - last line of defence
        return 1
    finally:
        session.close()


def _run_demo(app, params=None) -> int:
    """A throwaway vault in a temporary folder, filled with fictitious cases, removed on exit."""
    demo = _start_demo(params)
    try:
        window = _demo_window(demo.session)
        window.show()
        close_on_signals(window)
        return app.exec()
    finally:
        demo.close()


class _Demo:
    """The demo's temporary folder and session; `close()` ends the session and deletes both."""

    def __init__(self, folder: Path, session, services):
        self.folder = folder
        self.session = session
        self.services = services

    def close(self) -> None:
        try:
            if self.session is not None:
                self.session.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _start_demo(params=None) -> _Demo:
    """Create and fill the demo vault; `params` (KDF) only for tests and the screenshot script.

    Any failure on the way removes the folder again, so no half-made demo vault stays behind.
    """
    from aandacht.services.session import Session
    from aandacht.store.kdf import KdfParams
    from aandacht.ui.unlock import busy

    folder = Path(tempfile.mkdtemp(prefix="aandacht-demo-"))
    demo = _Demo(folder, None, None)
    try:
        # Cheaper KDF than a real vault: the demo holds only fictitious data.
        demo.session = Session(folder / "demo.vault", params=params or KdfParams(log_n=14))
        demo.services = busy(lambda: demo.session.create(DEMO_PASSPHRASE,
                                                          "Gemeente Voorbeeld (demo)"))
        # The demo's handover sheets are real PDFs; they live and die with the demo folder.
        _fill_demo(demo.services, folder / "overdrachten")
    except BaseException:
        demo.close()
        raise
    return demo


def _demo_window(session):
    from aandacht.ui.main_window import MainWindow

    return MainWindow(session, demo=True, demo_hint=f"Demo-wachtwoordzin: {DEMO_PASSPHRASE}")


def _fill_demo(services, handover_dir: Path | None = None) -> None:
    from aandacht.services.demo import fill_demo

    services.settings.set("af_naam", "A. Voorbeeld (demo)")
    services.settings.set("af_functie", "Aandachtsfunctionaris mensenhandel")
    services.settings.set("af_contact", "aandachtsfunctionaris@voorbeeld.invalid")
    fill_demo(services, handover_dir=handover_dir)
