# shellcheck shell=bash
# Shared set-up for scripts/kiosk-demo and scripts/run-tests.
#
# Source it (`source scripts/bootstrap.sh`), then call:
#   ensure_system_packages   Debian packages from docs/system-packages.md (apt-get as root, else print the command)
#   ensure_venv              .venv with `pip install -e '.[dev]'`, redone only when pyproject.toml changed
#   kiosk_qt_env [PLATFORM]  Qt environment; exports QT_QPA_PLATFORM=PLATFORM only when PLATFORM is given
#
# Sourcing it changes the working directory to the repository root ($KIOSK_ROOT) and records the caller's
# directory in $KIOSK_CALLER_PWD. It sets no shell options and is safe under `set -euo pipefail`.
# Environment knobs: KIOSK_PYTHON (interpreter used to create .venv, default python3),
# KIOSK_SKIP_APT=1 (skip the Debian package check, e.g. on a non-Debian developer machine).

KIOSK_CALLER_PWD="${KIOSK_CALLER_PWD:-$PWD}"
KIOSK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$KIOSK_ROOT" || return 1 2>/dev/null || exit 1
KIOSK_VENV="$KIOSK_ROOT/.venv"
KIOSK_PYTHON="${KIOSK_PYTHON:-python3}"

# Keep in sync with docs/system-packages.md (which says why each one is here).
KIOSK_APT_PACKAGES=(
    # the app itself
    fonts-noto-cjk fontconfig espeak-ng alsa-utils
    # scripts/compress-screenshots (docs/screenshots)
    pngquant
    # handwriting input (手写): zinnia recogniser + Simplified Chinese model
    libzinnia0 tegaki-zinnia-simplified-chinese
    # QtCore / QtGui / QtNetwork / QtDBus
    libglib2.0-0 libfreetype6 libfontconfig1 libxkbcommon0 libgl1 libegl1 libdbus-1-3
    libbrotli1 libgssapi-krb5-2
    # xcb platform plugin (+ GLX integration)
    libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
    libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-glx0
    # QtMultimedia (FFmpeg backend; libva*/libpipewire are dlopen()ed)
    libpulse0 libxext6 libxrandr2 libdrm2 libva2 libva-drm2 libva-x11-2 libpipewire-0.3-0
    # QtTextToSpeech (speech-dispatcher engine plugin)
    libspeechd2
    # QtWebEngine
    libnss3 libnspr4 libexpat1 libxcomposite1 libxdamage1 libxfixes3 libxtst6 libxkbfile1
    libasound2 libgbm1 libxcb-dri3-0
)

kiosk_log() {
    printf '[bootstrap] %s\n' "$*" >&2
}

# Prints the packages (from the arguments) that are not fully installed.
_kiosk_missing_packages() {
    local installed
    # One dpkg-query call for all; unknown packages make it exit 1 and are simply absent from its output.
    installed="$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null || true)"
    local pkg
    for pkg in "$@"; do
        if ! awk -v p="$pkg" '$1 == p && $2 == "ii" { found = 1 } END { exit !found }' <<<"$installed"; then
            printf '%s\n' "$pkg"
        fi
    done
}

ensure_system_packages() {
    if [[ "${KIOSK_SKIP_APT:-0}" == 1 ]]; then
        kiosk_log "KIOSK_SKIP_APT=1: not checking Debian packages"
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1; then
        kiosk_log "no dpkg-query (not Debian?): not checking system packages; see docs/system-packages.md"
        return 0
    fi
    local wanted=("${KIOSK_APT_PACKAGES[@]}")
    # `python3 -m venv` needs ensurepip, which Debian's own python3 keeps in python3-venv.
    if [[ ! -x "$KIOSK_VENV/bin/python" ]] && ! "$KIOSK_PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        wanted+=(python3-venv)
    fi
    local missing=()
    mapfile -t missing < <(_kiosk_missing_packages "${wanted[@]}")
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    if [[ "$(id -u)" == 0 ]]; then
        kiosk_log "installing Debian packages: ${missing[*]}"
        local log
        log="$(mktemp -t kiosk-apt.XXXXXX)"
        if DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >"$log" 2>&1 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 \
                --no-install-recommends "${missing[@]}" </dev/null >>"$log" 2>&1; then
            rm -f "$log"
        else
            tail -n 40 "$log" >&2
            kiosk_log "apt-get failed (full log: $log); install these by hand: ${missing[*]}"
            return 1
        fi
    else
        kiosk_log "missing Debian packages; as root, run:"
        kiosk_log "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
        kiosk_log "continuing without them (parts of the app or of the tests may fail)"
    fi
    return 0
}

_kiosk_pyproject_hash() {
    sha256sum "$KIOSK_ROOT/pyproject.toml" | cut -d' ' -f1
}

ensure_venv() {
    local stamp="$KIOSK_VENV/.kiosk-pyproject.sha256"
    if [[ ! -x "$KIOSK_VENV/bin/python" ]]; then
        if ! "$KIOSK_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            kiosk_log "$KIOSK_PYTHON is missing or older than 3.11; set KIOSK_PYTHON to a Python 3.11+"
            return 1
        fi
        kiosk_log "creating $KIOSK_VENV with $("$KIOSK_PYTHON" --version 2>&1)"
        "$KIOSK_PYTHON" -m venv "$KIOSK_VENV" || return 1
    fi
    local want have=""
    want="$(_kiosk_pyproject_hash)"
    [[ -f "$stamp" ]] && have="$(<"$stamp")"
    if [[ "$want" == "$have" && -x "$KIOSK_VENV/bin/kiosk" ]]; then
        return 0
    fi
    (
        # One installer at a time, when kiosk-demo and run-tests start together.
        if command -v flock >/dev/null 2>&1; then
            exec 9>"$KIOSK_VENV/.kiosk-bootstrap.lock"
            flock 9
        fi
        [[ -f "$stamp" && "$(<"$stamp")" == "$want" && -x "$KIOSK_VENV/bin/kiosk" ]] && exit 0
        kiosk_log "pyproject.toml changed (or first run): pip install -e '.[dev]'"
        "$KIOSK_VENV/bin/python" -m pip install -q --disable-pip-version-check -e "${KIOSK_ROOT}[dev]" </dev/null ||
            exit 1
        printf '%s\n' "$want" >"$stamp"
    ) || {
        kiosk_log "pip install failed"
        return 1
    }
}

# Environment for Qt. Exports QT_QPA_PLATFORM only when a platform is given.
kiosk_qt_env() {
    if [[ -n "${1:-}" ]]; then
        export QT_QPA_PLATFORM="$1"
    fi
    # Qt warns (and pytest-qt then fails the test) when the locale is not UTF-8.
    if [[ -z "${LC_ALL:-}${LC_CTYPE:-}${LANG:-}" ]]; then
        export LANG=C.UTF-8
    fi
    # Chromium (QtWebEngine) refuses to start as root with its sandbox on.
    if [[ "$(id -u)" == 0 && -z "${QTWEBENGINE_DISABLE_SANDBOX:-}" ]]; then
        export QTWEBENGINE_DISABLE_SANDBOX=1
    fi
}

# The demo database in "$1", built when it is missing or was left half-built. The ready mark is
# written only after `kiosk demo-data` succeeded, so a build cut short (Ctrl-C, power) is redone.
ensure_demo_data() {
    local data_dir="$1"
    if [[ -f "$data_dir/content.sqlite3" && -f "$data_dir/demo-ready" ]]; then
        # The repository's content (the synonym list, the sample offices and guides) changed since the
        # demo was built, e.g. by a pull: build it again (~20 s), or the kiosk keeps the old word list.
        if [[ -z "$(find "$KIOSK_ROOT/assets" -type f -newer "$data_dir/demo-ready" -print -quit)" ]]; then
            return 0
        fi
        kiosk_log "assets/ changed since the demo database was built"
    fi
    kiosk_log "building the demo database in $data_dir"
    mkdir -p "$data_dir"
    rm -f "$data_dir/content.sqlite3" "$data_dir/content.sqlite3-wal" "$data_dir/content.sqlite3-shm"
    if ! "$KIOSK_VENV/bin/kiosk" --data-dir "$data_dir" demo-data; then
        rm -f "$data_dir/content.sqlite3"
        kiosk_log "building the demo database failed"
        return 1
    fi
    date -u +%FT%TZ >"$data_dir/demo-ready"
}

# Executed rather than sourced: just do the set-up.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    ensure_system_packages
    ensure_venv
fi
