"""Temporary PDFs for printing: a private folder per print job, removed once the print system
has the file, when the program ends and at the next start (see ``storage.files``)."""

from __future__ import annotations

from hemlos_desktop.storage.files import new_print_folder, remove_print_folders

__all__ = ["new_print_folder", "remove_print_folders"]
