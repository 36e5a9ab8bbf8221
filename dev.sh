#!/usr/bin/env bash
# One entry point for people and CI, on a fresh Debian machine with Python 3.11:
#   ./dev.sh run [--demo]     install what is needed, then start Aandacht
#   ./dev.sh test [pytest…]   install what is needed, then run the test suite (headless)
set -euo pipefail
cd "$(dirname "$0")"

PY="${PYTHON:-python3}"
VENV=".venv"

# Libraries the Qt wheels load even headless (tests), and venv support …
HEADLESS_PACKAGES=(python3-venv libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6
  libglib2.0-0 libdbus-1-3 libnss3)
# … and what a window on an X11/XWayland desktop needs on top (`run`).
DESKTOP_PACKAGES=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-randr0)

ensure_system() {
  command -v dpkg >/dev/null 2>&1 || return 0
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Systeembibliotheken installeren: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_venv() {
  local extra="$1"
  local stamp="$VENV/.installed-$extra"
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[$extra]"
    touch "$stamp"
  fi
}

cmd="${1:-run}"
shift || true
case "$cmd" in
  run)
    ensure_system "${HEADLESS_PACKAGES[@]}" "${DESKTOP_PACKAGES[@]}"
    ensure_venv gui
    exec "$VENV/bin/aandacht" "$@"
    ;;
  test)
    ensure_system "${HEADLESS_PACKAGES[@]}"
    ensure_venv test
    export QT_QPA_PLATFORM=offscreen
    exec "$VENV/bin/python" -m pytest -q "$@"
    ;;
  *)
    echo "Gebruik: ./dev.sh run [--demo] | ./dev.sh test [pytest-opties]" >&2
    exit 2
    ;;
esac
