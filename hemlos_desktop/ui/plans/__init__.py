"""The Plans area: individual plans, their versions, SIP, printing, and what is due."""

from hemlos_desktop.services.plan_due import DueCounts, due_counts
from hemlos_desktop.ui.plans.overview_panel import PlanOverviewPanel, install_overview_panel
from hemlos_desktop.ui.plans.page import PlansPage

__all__ = ["DueCounts", "PlanOverviewPanel", "PlansPage", "due_counts", "install_overview_panel"]
