"""Qt item models over the services (lazy, paged, sorted and filtered in SQL)."""
