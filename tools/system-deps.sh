#!/usr/bin/env bash
# Install the Debian packages the program and its tests need, when they are missing.
# Qt's offscreen/xcb platforms need EGL, xkbcommon and fontconfig; screenshots need a font;
# the PDF tests turn pages into images with poppler's pdftoppm; the installer tests build an
# MSI from the WiX source with msitools' wixl and read it back with msiinfo (make package
# also uses dpkg-deb, part of every Debian system).
# The team-server tests start a throw-away PostgreSQL cluster (Debian puts initdb and pg_ctl in
# /usr/lib/postgresql/<version>/bin; the tests look there).
set -euo pipefail

packages=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 fonts-dejavu-core poppler-utils msitools wixl postgresql)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian-based system; install the equivalents of: ${packages[*]}"
    exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "system-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    sudo_cmd=()
elif command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
else
    echo "system-deps: please install as root: apt-get install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
