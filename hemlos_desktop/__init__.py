"""Hemlös Desktop: offline case work for housing-focused social services."""

__version__ = "0.1.0"
APP_NAME = "Hemlös Desktop"
# Used for folder names (platformdirs) and the single-instance key.
APP_ID = "hemlos-desktop"
# Environment variables that sign in without a dialog or prompt (the command line; the GUI for
# tests and benchmarks).
ENV_USER = "HEMLOS_USER"
ENV_PASSWORD = "HEMLOS_PASSWORD"
