"""The board's weekly figures, counted by local day in the database (issue 18): a case
received late on a Sunday evening, UTC, is Monday's in Yunxiao."""

from datetime import UTC, date, datetime

from complaints.core.clock import frozen_at
from complaints.core.vocabulary import Channel
from complaints.intake.filing import NewComplaint, file_complaint
from complaints.reports.figures import weekly_flow


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
