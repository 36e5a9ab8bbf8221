"""`python -m aandacht` and the `aandacht` entry point."""

import sys


def main(argv: list[str] | None = None) -> int:
    # Imported lazily so `--version` answers without loading Qt.
    from aandacht.app import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
