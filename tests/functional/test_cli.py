"""The command line: accounts, demo data, schema checks, the outbox worker."""

from datetime import UTC

from sqlalchemy import func, select

from complaints.cli.demo import DEMO_ACCOUNTS
from complaints.core.vocabulary import DeliveryStatus, MessageChannel
from complaints.db.models import Complaint, OutboxMessage, User
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
    assert counts[0] == len(DEMO_ACCOUNTS) == 9 and counts[1] >= 24
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


def test_calendar_add_year_recounts_provisional_deadlines(app, db, tools, tmp_path):
    import shutil
    from datetime import datetime

    from complaints.calendar.working_days import holiday_directory
    from complaints.core.clock import frozen_at
    from complaints.core.vocabulary import Channel
    from complaints.intake.filing import NewComplaint, file_complaint

    folder = tmp_path / "holidays"
    shutil.copytree(holiday_directory(), folder)
    # Received on New Year's Eve: its deadline falls in 2027, which has no official data yet.
    with frozen_at(datetime(2026, 12, 31, 2, 0, tzinfo=UTC)):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇房子裂了")).complaint
    db.commit()
    assert complaint.deadline_provisional
    assert complaint.deadline_at == datetime(2027, 1, 1, 16, 0, tzinfo=UTC)

    year = tmp_path / "holidays-2027.toml"
    year.write_text("year = 2027\nholidays = [2027-01-01, 2027-01-02, 2027-01-03]\n"
                    "workdays = []\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["calendar", "add-year", str(year), "--into", str(folder)])
    assert result.exit_code == 0, result.output
    assert "recounted 1" in result.output and (folder / "2027.toml").exists()
    db.rollback()
    db.refresh(complaint)
    assert not complaint.deadline_provisional
    assert complaint.deadline_at == datetime(2027, 1, 4, 16, 0, tzinfo=UTC)

    again = app.test_cli_runner().invoke(
        args=["calendar", "add-year", str(year), "--into", str(folder)])
    assert again.exit_code != 0 and "--replace" in again.output


def test_calendar_add_year_refuses_a_bad_file(app, tmp_path):
    year = tmp_path / "2027.toml"
    year.write_text("year = 2027\nworkdays = [2027-01-04]\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["calendar", "add-year", str(year), "--into", str(tmp_path)])
    assert result.exit_code != 0 and "weekday" in result.output


def test_deadlines_run_command(app):
    result = app.test_cli_runner().invoke(args=["deadlines", "run"])
    assert result.exit_code == 0 and "escalated 0" in result.output


def test_monthly_and_ledger_commands(app, db, tools, tmp_path):
    from openpyxl import load_workbook

    from complaints.core.vocabulary import Channel
    from complaints.intake.filing import NewComplaint, file_complaint

    number = file_complaint(db, tools, NewComplaint(
        channel=Channel.WEB, description="火田镇房子裂了", township_slug="huotian")).complaint
    number = number.tracking_number
    db.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reports", "monthly", "--month", "2026-11", "--township",
                                 "huotian", "--out", str(tmp_path / "m.xlsx")])
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "m.xlsx").active["A5"].value == "火田镇"
    result = runner.invoke(args=["reports", "ledger", "--out", str(tmp_path / "l.xlsx")])
    assert result.exit_code == 0 and "1 rows" in result.output
    assert load_workbook(tmp_path / "l.xlsx")["问题台账"]["A2"].value == number
    bad = runner.invoke(args=["reports", "monthly", "--month", "2026-13",
                              "--out", str(tmp_path / "x.xlsx")])
    assert bad.exit_code != 0
