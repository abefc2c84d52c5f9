"""Alembic environment: runs on the connection handed over by ``storage.migrate``."""

from alembic import context

import hemlos_desktop.models  # noqa: F401  (registers all tables)
from hemlos_desktop.models.base import Base
from hemlos_desktop.storage import search_index

config = context.config
connection = config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    include_name=search_index.include_name,
)
with context.begin_transaction():
    context.run_migrations()
