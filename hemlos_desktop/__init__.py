"""Hemlös Desktop: offline case work for housing-focused social services."""

import os as _os

# ReportLab checks every attribute set on a chart shape unless told otherwise; a case summary
# sets some 10,000 (its timeline and radar), which made a summary in a batch worker cost about
# 1.45 × the bare ReportLab floor instead of 1.15 × (benchmarks/pdf_batch.py). The program
# runs without the check (the PDFs are the same); the tests turn it on (tests/conftest.py) so
# that a wrong attribute still fails there. Set before ReportLab is imported (it reads the
# environment once); worker processes inherit it.
_os.environ.setdefault("RL_shapeChecking", "0")

__version__ = "0.1.0"
APP_NAME = "Hemlös Desktop"
# Used for folder names (platformdirs) and the single-instance key.
APP_ID = "hemlos-desktop"
# Environment variables that sign in without a dialog or prompt (the command line; the GUI for
# tests and benchmarks).
ENV_USER = "HEMLOS_USER"
ENV_PASSWORD = "HEMLOS_PASSWORD"
