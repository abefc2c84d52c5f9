"""Team coordination: units, member roles and competences, partners, who does what (with
history), eviction cases, releases, and case review meetings with agenda, minutes and actions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_competences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("competence", sa.String(length=30), nullable=False),
        sa.Column("trained_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_member_competences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "competence", name=op.f("pk_member_competences")),
    )
    with op.batch_alter_table("member_competences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_competences_competence"), ["competence"], unique=False
        )

    op.create_table(
        "review_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("minutes_done", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_review_meetings_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_review_meetings_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_meetings")),
        sa.UniqueConstraint("uid", name=op.f("uq_review_meetings_uid")),
    )
    with op.batch_alter_table("review_meetings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_meetings_team_date", ["team_id", "meeting_date"], unique=False
        )

    op.create_table(
        "team_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_team_partners_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_partners")),
        sa.UniqueConstraint("uid", name=op.f("uq_team_partners_uid")),
    )
    with op.batch_alter_table("team_partners", schema=None) as batch_op:
        batch_op.create_index("ix_team_partners_team_name", ["team_id", "name"], unique=False)

    op.create_table(
        "team_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_units_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_units")),
        sa.UniqueConstraint("uid", name=op.f("uq_team_units_uid")),
    )
    with op.batch_alter_table("team_units", schema=None) as batch_op:
        batch_op.create_index("ix_team_units_team_name", ["team_id", "name"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_agenda_items_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["review_meetings.id"],
            name=op.f("fk_agenda_items_meeting_id_review_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_items_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            "ix_agenda_items_meeting_position", ["meeting_id", "position"], unique=False
        )

    op.create_table(
        "client_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=False),
        sa.Column("housing_arranged", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_releases_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_releases")),
    )
    with op.batch_alter_table("client_releases", schema=None) as batch_op:
        batch_op.create_index("ix_client_releases_client", ["client_id"], unique=False)
        batch_op.create_index("ix_client_releases_date", ["release_date"], unique=False)

    op.create_table(
        "client_responsibilities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date",
            name=op.f("ck_client_responsibilities_end_after_start"),
        ),
        sa.CheckConstraint(
            "user_id IS NOT NULL OR unit_id IS NOT NULL",
            name=op.f("ck_client_responsibilities_someone"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_responsibilities_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_client_responsibilities_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["team_units.id"],
            name=op.f("fk_client_responsibilities_unit_id_team_units"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_client_responsibilities_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_responsibilities")),
    )
    with op.batch_alter_table("client_responsibilities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_client_responsibilities_client_role",
            ["client_id", "role", "end_date"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_client_responsibilities_unit_id"), ["unit_id"], unique=False
        )
        batch_op.create_index(
            "ix_client_responsibilities_user_open", ["user_id", "end_date"], unique=False
        )

    op.create_table(
        "eviction_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("landlord", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("arrears_cents", sa.Integer(), nullable=True),
        sa.Column("notice_date", sa.Date(), nullable=True),
        sa.Column("social_services_date", sa.Date(), nullable=True),
        sa.Column("kronofogden_date", sa.Date(), nullable=True),
        sa.Column("hearing_date", sa.Date(), nullable=True),
        sa.Column("eviction_date", sa.Date(), nullable=True),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("outcome_date", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "arrears_cents IS NULL OR arrears_cents >= 0",
            name=op.f("ck_eviction_cases_arrears_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_eviction_cases_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_eviction_cases_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eviction_cases")),
        sa.UniqueConstraint("uid", name=op.f("uq_eviction_cases_uid")),
    )
    with op.batch_alter_table("eviction_cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_eviction_cases_client_notice", ["client_id", "notice_date"], unique=False
        )
        batch_op.create_index(
            "ix_eviction_cases_outcome_date", ["outcome", "outcome_date"], unique=False
        )

    op.create_table(
        "meeting_participants",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["review_meetings.id"],
            name=op.f("fk_meeting_participants_meeting_id_review_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_meeting_participants_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "user_id", name=op.f("pk_meeting_participants")),
    )
    with op.batch_alter_table("meeting_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_participants_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "meeting_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("assigned_user_id", sa.Integer(), nullable=True),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_user_id"],
            ["users.id"],
            name=op.f("fk_meeting_actions_assigned_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_meeting_actions_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name=op.f("fk_meeting_actions_item_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_actions")),
    )
    with op.batch_alter_table("meeting_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_actions_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index("ix_meeting_actions_due_done", ["due", "done"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_actions_item_id"), ["item_id"], unique=False)
        batch_op.create_index(
            "ix_meeting_actions_user_done", ["assigned_user_id", "done"], unique=False
        )

    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "team_role", sa.String(length=20), server_default="caseworker", nullable=False
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_team_members_unit_id_team_units"),
            "team_units",
            ["unit_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("municipality", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("caseload_ceiling", sa.Integer(), server_default="25", nullable=False)
        )
        batch_op.add_column(
            sa.Column("no_contact_days", sa.Integer(), server_default="30", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("no_contact_days")
        batch_op.drop_column("caseload_ceiling")
        batch_op.drop_column("municipality")

    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_team_members_unit_id_team_units"), type_="foreignkey"
        )
        batch_op.drop_column("team_role")
        batch_op.drop_column("unit_id")

    with op.batch_alter_table("meeting_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_actions_user_done")
        batch_op.drop_index(batch_op.f("ix_meeting_actions_item_id"))
        batch_op.drop_index("ix_meeting_actions_due_done")
        batch_op.drop_index(batch_op.f("ix_meeting_actions_client_id"))

    op.drop_table("meeting_actions")
    with op.batch_alter_table("meeting_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_participants_user_id"))

    op.drop_table("meeting_participants")
    with op.batch_alter_table("eviction_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_eviction_cases_outcome_date")
        batch_op.drop_index("ix_eviction_cases_client_notice")

    op.drop_table("eviction_cases")
    with op.batch_alter_table("client_responsibilities", schema=None) as batch_op:
        batch_op.drop_index("ix_client_responsibilities_user_open")
        batch_op.drop_index(batch_op.f("ix_client_responsibilities_unit_id"))
        batch_op.drop_index("ix_client_responsibilities_client_role")

    op.drop_table("client_responsibilities")
    with op.batch_alter_table("client_releases", schema=None) as batch_op:
        batch_op.drop_index("ix_client_releases_date")
        batch_op.drop_index("ix_client_releases_client")

    op.drop_table("client_releases")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index("ix_agenda_items_meeting_position")
        batch_op.drop_index(batch_op.f("ix_agenda_items_client_id"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("team_units", schema=None) as batch_op:
        batch_op.drop_index("ix_team_units_team_name")

    op.drop_table("team_units")
    with op.batch_alter_table("team_partners", schema=None) as batch_op:
        batch_op.drop_index("ix_team_partners_team_name")

    op.drop_table("team_partners")
    with op.batch_alter_table("review_meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_review_meetings_team_date")

    op.drop_table("review_meetings")
    with op.batch_alter_table("member_competences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_competences_competence"))

    op.drop_table("member_competences")
