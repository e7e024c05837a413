"""The command line: accounts, demo data, schema checks, the outbox worker."""

from sqlalchemy import func, select

from complaints.models import Complaint, DeliveryStatus, MessageChannel, OutboxMessage, User
from complaints.outbox import enqueue


def test_users_create_prints_a_password_that_works(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "Zhang.Lx", "--role", "liaison",
                                 "--unit", "huotian", "--display-name", "张联络"])
    assert result.exit_code == 0, result.output
    password = result.output.split("password: ")[1].strip()
    client = app.test_client()
    from tests.conftest import log_in

    assert log_in(client, "zhang.lx", password).status_code == 302
    user = db.scalar(select(User).where(User.username == "zhang.lx"))
    assert user.unit.slug == "huotian" and user.display_name == "张联络"


def test_users_create_refuses_a_liaison_without_unit(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "x", "--role", "liaison"])
    assert result.exit_code != 0 and "needs --unit" in result.output


def test_users_create_refuses_an_unknown_unit(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "x", "--role", "liaison", "--unit", "atlantis"])
    assert result.exit_code != 0 and "atlantis" in result.output


def test_users_create_reads_a_piped_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "op2", "--role", "operator", "--password-stdin"],
        input="a long enough secret\n")
    assert result.exit_code == 0 and "password:" not in result.output


def test_demo_seed_runs_once(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "liaison-huotian" in first.output
    counts = (db.scalar(select(func.count()).select_from(User)),
              db.scalar(select(func.count()).select_from(Complaint)))
    assert counts[0] == 8 and counts[1] >= 24
    second = runner.invoke(args=["demo", "seed"])
    assert "already present" in second.output
    db.rollback()
    assert (db.scalar(select(func.count()).select_from(User)),
            db.scalar(select(func.count()).select_from(Complaint))) == counts


def test_db_upgrade_and_check(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0 and "agree" in result.output


def test_outbox_run_once_records_messages(app, db, vault):
    enqueue(db, vault, MessageChannel.SMS, "13055441314", "您的举报已收到。")
    db.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0 and "handled 1" in result.output
    db.rollback()
    assert db.scalar(select(OutboxMessage.status)) is DeliveryStatus.NOT_SENT
