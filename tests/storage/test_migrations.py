"""The schema comes from the migrations, and the migrations match the models."""

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

import complaints.db.models  # noqa: F401  (registers every table on Base.metadata)
from complaints.db import migrate
from complaints.db.base import Base


def table_names(engine):
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade_leaves_no_drift(app):
    components = app.extensions["complaints"]
    url, engine = components.settings.database_url, components.engine
    assert table_names(engine) == set(Base.metadata.tables)
    assert migrate.schema_drift(engine) == []

    migrate.downgrade(url, "base")
    engine.dispose()
    assert table_names(engine) == set()

    migrate.upgrade(url)
    engine.dispose()
    assert table_names(engine) == set(Base.metadata.tables)
    assert migrate.schema_drift(engine) == []


def test_check_constraints_follow_the_naming_convention(app):
    engine = app.extensions["complaints"].engine
    names = {check["name"] for check in inspect(engine).get_check_constraints("complaints")}
    assert {"ck_complaints_status", "ck_complaints_channel", "ck_complaints_latitude"} <= names


def test_database_refuses_an_unknown_status(app, db):
    with pytest.raises(DBAPIError):
        db.execute(text(
            "INSERT INTO complaints (tracking_number, query_code_hash, channel, status, "
            "description, household_type, house_structure, alleges_misconduct, received_at, "
            "updated_at) VALUES ('YX1', 'h', 'web', 'lost', 'd', 'unknown', 'unknown', false, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))


def test_cases_filed_before_the_routing_migration_survive_it(app, db):
    components = app.extensions["complaints"]
    url, engine = components.settings.database_url, components.engine
    migrate.downgrade(url, "fdd022bc3437")
    engine.dispose()
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO complaints (tracking_number, query_code_hash, channel, status, "
            "description, household_type, house_structure, alleges_misconduct, received_at, "
            "updated_at) VALUES ('YX20261101-0001', 'h', 'web', 'received', '老房子裂了', "
            "'unknown', 'unknown', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
    migrate.upgrade(url)
    engine.dispose()
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT description, needs_triage, routing FROM complaints")).one()
    assert row.description == "老房子裂了" and row.needs_triage in (False, 0)
    assert row.routing is None
