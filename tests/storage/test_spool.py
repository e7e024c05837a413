"""The webhook spool: a request that cannot be taken in is set aside, never lost, and the rest
go on."""

import json

from complaints.intake.spool import PURPOSE, SMS, Spool


def test_a_request_that_cannot_be_taken_in_is_set_aside_and_the_next_is_taken_in(app, tmp_path):
    parts = app.extensions["complaints"]
    spool = Spool(tmp_path / "spool")
    broken = spool.keep(parts.tools, SMS, {"MessageSid": "SM" + "1" * 32})
    broken.write_bytes(parts.vault.seal(json.dumps({"kind": "nonsense", "fields": {}}), PURPOSE))
    spool.keep(parts.tools, SMS, {"MessageSid": "SM" + "2" * 32, "From": "+8613055441314",
                                  "Body": "火田镇我家土坯房墙裂了"})
    assert spool.drain(parts.session_factory, parts.tools) == 1
    assert spool.pending() == []
    assert [path.name for path in (tmp_path / "spool" / "failed").iterdir()] == [broken.name]


def test_a_file_that_cannot_be_opened_is_set_aside_too(app, tmp_path):
    parts = app.extensions["complaints"]
    spool = Spool(tmp_path / "spool")
    unreadable = spool.keep(parts.tools, SMS, {"MessageSid": "SM" + "1" * 32})
    unreadable.write_bytes(b"torn or sealed with another key")
    assert spool.drain(parts.session_factory, parts.tools) == 0
    assert spool.pending() == [] and (tmp_path / "spool" / "failed" / unreadable.name).exists()


def test_an_sms_kept_during_an_outage_counts_from_when_it_came(app, db, tmp_path):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from complaints.core.clock import frozen_at
    from complaints.db.models import InboundSms

    parts = app.extensions["complaints"]
    spool = Spool(tmp_path / "spool")
    came = datetime(2026, 11, 27, 15, 59, 50, tzinfo=UTC)  # 23:59:50 in the county
    with frozen_at(came):
        spool.keep(parts.tools, SMS, {"MessageSid": "SM" + "3" * 32, "From": "+8613055441314",
                                      "Body": "火田镇我家土坯房墙裂了"})
    with frozen_at(came + timedelta(hours=2)):  # the database is back after midnight
        assert spool.drain(parts.session_factory, parts.tools) == 1
    db.rollback()
    assert db.scalar(select(InboundSms.received_at)) == came
