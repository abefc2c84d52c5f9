"""``python -m hemlos_desktop`` runs the command line (the GUI when no sub-command is given)."""

from hemlos_desktop.cli import main

raise SystemExit(main())
