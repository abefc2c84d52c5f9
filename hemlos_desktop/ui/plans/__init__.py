"""The Plans area: individual plans, their versions, SIP, printing, and what is due.

The names below are imported on first use, so that the main window's status-bar counter
(``ui.plans.due_status``) does not load the whole area at start-up.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "DueCounts": "hemlos_desktop.services.plan_due",
    "due_counts": "hemlos_desktop.services.plan_due",
    "PlanOverviewPanel": "hemlos_desktop.ui.plans.overview_panel",
    "install_overview_panel": "hemlos_desktop.ui.plans.overview_panel",
    "PlansPage": "hemlos_desktop.ui.plans.page",
}

__all__ = ["DueCounts", "PlanOverviewPanel", "PlansPage", "due_counts", "install_overview_panel"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
