"""SQLAlchemy mapped classes and pure validation rules. No Qt here.

Importing this package registers every table on ``Base.metadata`` (Alembic compares against it).
"""

from hemlos_desktop.models.base import Base, DatabaseInfo

__all__ = ["Base", "DatabaseInfo"]
