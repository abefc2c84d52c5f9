"""The Team area: board, case review, eviction prevention, goals; case-file panel."""

from hemlos_desktop.ui.team.page import TeamPage

__all__ = ["TeamPage"]
