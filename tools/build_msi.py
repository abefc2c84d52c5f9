"""Build an MSI from ``packaging/windows/hemlos-desktop.wxs`` with msitools' ``wixl``.

    .venv/bin/python tools/build_msi.py SOURCE_DIR OUTPUT.msi [--main-exe NAME]

On this (Linux) machine it wraps a folder tree, normally the Linux one-folder build, to check
the installer's tables (``msiinfo export``); the real Windows MSI is built by the WiX toolset
on a Windows runner (.github/workflows/windows-installer.yml) from the same source. The file
list is generated from SOURCE_DIR by ``wixl-heat``, never written by hand.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from hemlos_desktop import __version__

ROOT = Path(__file__).resolve().parent.parent
WXS = ROOT / "packaging" / "windows" / "hemlos-desktop.wxs"
ICON = ROOT / "resources" / "icons" / "hemlos-desktop.ico"


def build_msi(
    source: Path, output: Path, *, main_exe: str = "hemlos-desktop.exe", version: str = __version__
) -> Path:
    """Write ``output`` and return it; CalledProcessError (with wixl's output) on failure."""
    source = source.resolve()
    output = output.resolve()
    with tempfile.TemporaryDirectory(prefix="msi-") as tmp:
        stage = Path(tmp)
        # wixl wants paths relative to where it runs.
        (stage / "app").symlink_to(source, target_is_directory=True)
        shutil.copy2(ICON, stage / "hemlos-desktop.ico")
        files = sorted(
            str(path.relative_to(stage)) for path in (stage / "app").rglob("*") if path.is_file()
        )
        heat = subprocess.run(
            [
                "wixl-heat",
                "--prefix",
                "app/",
                "--directory-ref",
                "INSTALLDIR",
                "--component-group",
                "AppFiles",
                "--var",
                "var.SourceDir",
                "--win64",
            ],
            input="\n".join(files) + "\n",
            capture_output=True,
            text=True,
            check=True,
            cwd=stage,
        )
        (stage / "files.wxs").write_text(heat.stdout, encoding="utf-8")
        subprocess.run(
            [
                "wixl",
                "--arch",
                "x64",
                "-D",
                "Wixl=1",
                "-D",
                "Win64=yes",
                "-D",
                f"Version={version}",
                "-D",
                "SourceDir=app",
                "-D",
                "IconFile=hemlos-desktop.ico",
                "-D",
                f"MainExe={main_exe}",
                "-o",
                str(output),
                str(WXS),
                "files.wxs",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=stage,
        )
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--main-exe", default="hemlos-desktop.exe")
    args = parser.parse_args()
    print(build_msi(args.source, args.output, main_exe=args.main_exe))


if __name__ == "__main__":
    main()
