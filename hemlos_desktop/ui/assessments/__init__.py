"""Assessment coding: the rating form and the charts, working on plain data."""

from hemlos_desktop.ui.assessments._none_guard import keep_none_alive

keep_none_alive()
