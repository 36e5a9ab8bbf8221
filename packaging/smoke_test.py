"""Smoke test of an installed (non-editable) wheel: run from outside the checkout.

Checks that the wheel carries resources/ and forms/, declares only the expected
(offline) dependencies, and that the app starts: welcome form, vault, main window,
lock and unlock.
"""

import os
import sys
import zipfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Every runtime dependency, by name. None of them opens a network connection.
ALLOWED = {"pyside6-essentials", "pyside6-pdf", "sqlcipher3", "reportlab", "platformdirs"}


def main(wheel: str) -> int:
    import aandacht
    from aandacht.content import resource_root

    here = Path(aandacht.__file__).resolve()
    assert "site-packages" in str(here), f"not the installed package: {here}"
    root = resource_root()
    assert str(root).startswith(str(here.parent)), f"resources outside the package: {root}"
    forms = sorted(p.name for p in (here.parent / "forms").glob("*.ui"))
    assert forms, "forms/ missing from the wheel"
    contents = sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*.toml"))
    assert "content/retention.toml" in contents, contents

    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        requires = [line.split(":", 1)[1].strip() for line in zf.read(meta).decode().splitlines()
                    if line.startswith("Requires-Dist:") and "extra ==" not in line]
    names = {r.split("==")[0].split(">")[0].split("<")[0].split(";")[0].strip().lower()
             for r in requires}
    assert names == ALLOWED, f"unexpected runtime dependencies: {sorted(names ^ ALLOWED)}"

    from aandacht.app import make_application
    from aandacht.paths import AppPaths
    from aandacht.services.session import Session
    from aandacht.store.kdf import KdfParams
    from aandacht.ui.main_window import MainWindow
    from aandacht.ui.unlock import WelcomeDialog

    app = make_application()
    paths = AppPaths.default().ensure()
    session = Session(paths.vault, params=KdfParams(log_n=12))
    WelcomeDialog(lambda g, p: None, lambda p, q: None).close()
    session.create("rook test wachtwoord zin", "Gemeente Rooktest")
    window = MainWindow(session)
    window.show()
    app.processEvents()
    window.lock()
    assert window.locked
    window.unlock_panel.passphrase.setText("rook test wachtwoord zin")
    window.unlock_panel.submit()
    assert not window.locked, window.unlock_panel.message.text()
    window.close()
    print(f"smoke OK: {len(forms)} forms, {len(contents)} content files, deps {sorted(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
