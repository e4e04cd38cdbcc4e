#!/usr/bin/env bash
# Install the legal-service kiosk on a Debian 12 terminal (run as root from a checkout):
#   sudo packaging/install.sh            # terminal: kiosk under cage, sync timer, hardening
#   sudo packaging/install.sh --hub      # also the reference platform (kiosk-hub) service
# Safe to run again: every step checks before it changes anything.
set -euo pipefail

PREFIX=/opt/legal-kiosk
DATA=/var/lib/legal-kiosk
HUB_DATA=/var/lib/kiosk-hub
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WITH_HUB=0
[ "${1:-}" = "--hub" ] && WITH_HUB=1

if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (sudo packaging/install.sh)" >&2
    exit 2
fi

step() { printf '\n== %s\n' "$*"; }

step "Debian packages"
# shellcheck source=../scripts/bootstrap.sh
source "$SRC/scripts/bootstrap.sh"
ensure_system_packages
mapfile -t extra < <(_kiosk_missing_packages cage rsync)
if ((${#extra[@]})); then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${extra[@]}"
fi

step "users"
id kiosk >/dev/null 2>&1 || useradd --system --create-home --home-dir /home/kiosk --shell /usr/sbin/nologin \
    --groups video,audio,input,render kiosk
if [ "$WITH_HUB" = 1 ]; then
    id kiosk-hub >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin kiosk-hub
fi

step "application in $PREFIX"
mkdir -p "$PREFIX"
rsync -a --delete --exclude .venv --exclude .git "$SRC/" "$PREFIX/"
python3 -m venv "$PREFIX/.venv"
"$PREFIX/.venv/bin/pip" install --quiet --upgrade pip
"$PREFIX/.venv/bin/pip" install --quiet "$PREFIX"
install -d -o kiosk -g kiosk -m 0750 "$DATA"
if [ "$WITH_HUB" = 1 ]; then
    install -d -o kiosk-hub -g kiosk-hub -m 0750 "$HUB_DATA"
fi

step "systemd units"
install -m 0644 "$SRC"/packaging/systemd/legal-kiosk.service "$SRC"/packaging/systemd/legal-kiosk-sync.service \
    "$SRC"/packaging/systemd/legal-kiosk-sync.timer "$SRC"/packaging/systemd/home-kiosk.mount /etc/systemd/system/
[ "$WITH_HUB" = 1 ] && install -m 0644 "$SRC"/packaging/systemd/kiosk-hub.service /etc/systemd/system/

step "hardening"
install -D -m 0644 "$SRC"/packaging/etc/sysctl.d/90-legal-kiosk.conf /etc/sysctl.d/90-legal-kiosk.conf
install -D -m 0644 "$SRC"/packaging/etc/systemd/logind.conf.d/90-legal-kiosk.conf \
    /etc/systemd/logind.conf.d/90-legal-kiosk.conf
sysctl --quiet --load /etc/sysctl.d/90-legal-kiosk.conf || true
systemctl mask ctrl-alt-del.target
for tty in 2 3 4 5 6; do systemctl mask "getty@tty$tty.service" "autovt@tty$tty.service"; done
systemctl disable getty@tty1.service 2>/dev/null || true

step "enable"
systemctl daemon-reload
systemctl set-default graphical.target
systemctl enable home-kiosk.mount legal-kiosk.service legal-kiosk-sync.timer
[ "$WITH_HUB" = 1 ] && systemctl enable --now kiosk-hub.service

cat <<TXT

Installed. Next, enrol this terminal (see docs/operations.md):
  sudo -u kiosk KIOSK_DATA_DIR=$DATA $PREFIX/.venv/bin/kiosk provision
then reboot: the kiosk starts full screen on tty1.
TXT
