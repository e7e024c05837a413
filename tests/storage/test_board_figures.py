"""The board's figures (issue 18): the weeks counted by local day in the database (a case
received late on a Sunday evening, UTC, is Monday's in Yunxiao); the per-unit figures kept
by the writes."""

from datetime import UTC, date, datetime

from sqlalchemy import delete

from complaints.cases.tallies import Figure, rebuild, recount, unit_tallies
from complaints.core.clock import frozen_at, now_utc
from complaints.core.vocabulary import CaseStatus, Channel
from complaints.db.models import CaseTally
from complaints.intake.filing import NewComplaint, file_complaint
from complaints.reports.figures import unit_figures, weekly_flow


def test_weeks_are_counted_by_local_day(db, tools):
    moments = [datetime(2026, 11, 22, 15, 59, tzinfo=UTC),   # Sunday 23:59 local: week of 16 Nov
               datetime(2026, 11, 22, 16, 0, tzinfo=UTC),    # Monday 00:00 local: week of 23 Nov
               datetime(2026, 11, 29, 3, 0, tzinfo=UTC),     # Sunday local: week of 23 Nov
               datetime(2026, 12, 1, 2, 0, tzinfo=UTC)]      # Tuesday: week of 30 Nov
    filed = []
    for moment in moments:
        with frozen_at(moment):
            filed.append(file_complaint(db, tools, NewComplaint(Channel.SMS, "火田镇房子裂了")).complaint)
    filed[0].resolved_at = datetime(2026, 11, 29, 16, 30, tzinfo=UTC)  # Monday 00:30 local
    db.commit()
    flow = weekly_flow(db, date(2026, 12, 2), weeks=3)
    assert flow == [(date(2026, 11, 16), 1, 0), (date(2026, 11, 23), 2, 0), (date(2026, 11, 30), 1, 1)]


def test_the_figures_follow_each_write_and_a_rebuild_finds_the_same(db, tools):
    """The board reads tallies the writes keep: a case counts for its township while open and
    for its unit once dispatched; cases loaded around the app are counted by a rebuild."""
    first = file_complaint(db, tools, NewComplaint(Channel.SMS, "火田镇房子裂了")).complaint
    db.commit()
    township = first.township_id
    assert unit_tallies(db)[(township, Figure.OPEN_HERE)] == 1
    first.status, first.responsible_unit_id = CaseStatus.CLOSED, township
    first.resolved_at = first.resolve_due_at = now_utc()
    first.reporter_says_fixed = True
    db.commit()
    counted = unit_tallies(db)
    assert counted[(township, Figure.OPEN_HERE)] == 0
    assert [counted[(township, figure)] for figure in Figure if figure is not Figure.OPEN_HERE] \
        == [1] * 6
    assert [row.resolution_rate for row in unit_figures(db)] == [1.0]
    db.execute(delete(CaseTally))
    rebuild(db)
    db.commit()
    assert unit_tallies(db) == counted == recount(db)


def test_the_figures_command_finds_a_drift_and_rebuilds(app, db, tools):
    file_complaint(db, tools, NewComplaint(Channel.SMS, "火田镇房子裂了"))
    db.commit()
    runner = app.test_cli_runner()
    assert "agree" in runner.invoke(args=["reports", "figures"]).output
    db.execute(delete(CaseTally))  # as after cases loaded around the app
    db.commit()
    found = runner.invoke(args=["reports", "figures"])
    assert found.exit_code != 0 and "open_here: kept 0, counted 1" in found.output
    assert runner.invoke(args=["reports", "figures", "--rebuild"]).exit_code == 0
    assert unit_tallies(db) == recount(db)


def test_a_savepoint_rolled_back_and_a_rebuild_in_a_transaction_keep_the_figures_true(db, tools):
    """The differences a transaction adds as it commits: neither lost with a savepoint that
    is rolled back after the board was read in it, nor added twice after a rebuild."""
    case = file_complaint(db, tools, NewComplaint(Channel.SMS, "火田镇房子裂了")).complaint
    db.commit()
    case.status = CaseStatus.CLOSED
    db.flush()
    savepoint = db.begin_nested()
    assert unit_tallies(db)[(case.township_id, Figure.OPEN_HERE)] == 0  # read inside it
    savepoint.rollback()
    db.commit()
    assert unit_tallies(db) == recount(db)

    case.status = CaseStatus.RECEIVED
    db.flush()
    rebuild(db)  # counts the change itself: the commit adds nothing more
    db.commit()
    assert unit_tallies(db) == recount(db)
    assert unit_tallies(db)[(case.township_id, Figure.OPEN_HERE)] == 1
