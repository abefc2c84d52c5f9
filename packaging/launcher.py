"""Entry point of the frozen program (PyInstaller): the same as ``hemlos-desktop``."""

from hemlos_desktop.cli import main

raise SystemExit(main())
