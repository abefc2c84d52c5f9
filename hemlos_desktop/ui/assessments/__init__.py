"""Assessment coding: the rating form and the charts, working on plain data."""
