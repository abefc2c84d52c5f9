"""Wrap the one-folder build (``build/dist/hemlos-desktop/``) into a tarball and a ``.deb``.

    .venv/bin/python tools/build_linux_packages.py [--dist build/dist]

Writes ``build/dist/hemlos-desktop-<version>-linux-<arch>.tar.gz`` and
``build/dist/hemlos-desktop_<version>_<arch>.deb`` and prints their paths. The .deb installs
the program to ``/usr/lib/hemlos-desktop/``, a launcher to ``/usr/bin/hemlos-desktop``, the
desktop entry and the icon; it declares the system libraries Qt needs (Qt itself is inside).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from hemlos_desktop import __version__

ROOT = Path(__file__).resolve().parent.parent
APP = "hemlos-desktop"

# System libraries the bundled Qt loads (xcb platform, EGL/GL, fonts, keyboard, D-Bus, CUPS
# printing) that a minimal desktop may lack; the rest of the program is in the folder.
DEPENDS = (
    "libc6 (>= 2.31)",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libfreetype6",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libdbus-1-3",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libcups2",
    "fonts-dejavu-core",
)


def deb_arch() -> str:
    machine = platform.machine()
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)


def folder_size_kb(folder: Path) -> int:
    return (
        sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        // 1024
        + 1
    )


def write_tarball(app_dir: Path, dist: Path) -> Path:
    target = dist / f"{APP}-{__version__}-linux-{platform.machine()}.tar.gz"
    top = f"{APP}-{__version__}"
    with tarfile.open(target, "w:gz") as tar:
        tar.add(app_dir, arcname=f"{top}/{APP}")
        tar.add(ROOT / "packaging" / "linux" / f"{APP}.desktop", arcname=f"{top}/{APP}.desktop")
        tar.add(ROOT / "resources" / "icons" / f"{APP}.png", arcname=f"{top}/{APP}.png")
    return target


def control_text(installed_kb: int) -> str:
    return (
        f"Package: {APP}\n"
        f"Version: {__version__}\n"
        "Section: misc\n"
        "Priority: optional\n"
        f"Architecture: {deb_arch()}\n"
        f"Installed-Size: {installed_kb}\n"
        f"Depends: {', '.join(DEPENDS)}\n"
        "Maintainer: Hemlös Desktop <hemlos-desktop@localhost>\n"
        "Homepage: https://example.invalid/hemlos-desktop\n"
        "Description: offline case work for housing-focused social services\n"
        " Hemlös Desktop keeps the case files of social workers who help homeless people\n"
        " into housing in Sweden and Denmark, encrypted on the computer, without a network.\n"
    )


def write_deb(app_dir: Path, dist: Path) -> Path:
    target = dist / f"{APP}_{__version__}_{deb_arch()}.deb"
    with tempfile.TemporaryDirectory(prefix="deb-") as tmp:
        root = Path(tmp) / "root"
        lib = root / "usr" / "lib" / APP
        shutil.copytree(app_dir, lib, symlinks=True)
        bin_dir = root / "usr" / "bin"
        bin_dir.mkdir(parents=True)
        shutil.copy2(ROOT / "packaging" / "linux" / "launcher.sh", bin_dir / APP)
        (bin_dir / APP).chmod(0o755)
        apps = root / "usr" / "share" / "applications"
        apps.mkdir(parents=True)
        shutil.copy2(ROOT / "packaging" / "linux" / f"{APP}.desktop", apps)
        icons = root / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps"
        icons.mkdir(parents=True)
        shutil.copy2(ROOT / "resources" / "icons" / f"{APP}.png", icons)
        debian = root / "DEBIAN"
        debian.mkdir()
        (debian / "control").write_text(control_text(folder_size_kb(root)), encoding="utf-8")
        for path in root.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(target)],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "SOURCE_DATE_EPOCH": "0"},
        )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "build" / "dist")
    args = parser.parse_args()
    app_dir = args.dist / APP
    if not (app_dir / APP).is_file():
        raise SystemExit(f"no one-folder build in {app_dir}; run PyInstaller first")
    print(write_tarball(app_dir, args.dist))
    print(write_deb(app_dir, args.dist))


if __name__ == "__main__":
    main()
