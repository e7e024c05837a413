"""The SMS the webhook kept, acted on by the outbox workers: each once, each sender's in the
order they came, none lost when a worker dies midway, and a broken one set aside."""

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from complaints.core.clock import frozen_at
from complaints.db.models import Complaint, InboundSms, OutboxMessage
from complaints.intake.sms import Inbound, SmsRules, _claim_next, accept_inbound, file_waiting

RULES = SmsRules(follow_up_window=timedelta(minutes=30), replies_per_hour=20)
NOON = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)


def keep(app, sid, sender, body):
    parts = app.extensions["complaints"]
    with parts.session_factory() as session:
        accept_inbound(session, parts.vault,
                       Inbound(message_sid=sid, from_number=sender, to_number="+865968525603",
                               body=body))
        session.commit()


def counted(db, model, *where):
    db.rollback()
    return db.scalar(select(func.count()).select_from(model).where(*where))


def test_workers_at_once_act_on_each_message_once_and_in_each_senders_order(app, db):
    parts = app.extensions["complaints"]
    senders = [f"+86130554413{n:02d}" for n in range(6)]
    for n, sender in enumerate(senders):  # each sender: a complaint, then three additions
        for turn in range(4):
            keep(app, f"SM{turn}{n:031d}", sender, "马铺乡房子漏雨" if turn == 0 else f"补充{turn}")
    errors = []

    def worker():
        try:
            file_waiting(parts.session_factory, parts.tools, RULES)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    file_waiting(parts.session_factory, parts.tools, RULES)  # what a busy SQLite held back

    assert counted(db, InboundSms, InboundSms.kind.is_(None)) == 0
    assert counted(db, Complaint) == 6  # one per sender: the rest were its additions
    assert counted(db, InboundSms, InboundSms.kind == "follow-up") == 18
    assert counted(db, OutboxMessage) == 24  # one reply each
    assert not [e for e in errors if "locked" not in str(e)]


def test_a_worker_that_dies_midway_leaves_the_message_waiting(app, db):
    parts = app.extensions["complaints"]
    keep(app, "SM" + "3" * 32, "+8613055441314", "火田镇我家土坯房墙裂了")
    dying = parts.session_factory()
    assert _claim_next(dying) is not None
    dying.close()  # its transaction rolls back, as when the process is killed
    assert file_waiting(parts.session_factory, parts.tools, RULES) == 1
    assert counted(db, Complaint) == 1 and counted(db, OutboxMessage) == 1


def test_a_message_that_cannot_be_acted_on_is_set_aside_and_the_next_goes_on(app, db):
    parts = app.extensions["complaints"]
    with parts.session_factory() as session:
        session.add(InboundSms(message_sid="SM" + "4" * 32, from_sealed=b"not sealed by us",
                               from_hash="0" * 64, to_number="+865968525603", body="房子裂了",
                               received_at=NOON))
        session.commit()
    keep(app, "SM" + "5" * 32, "+8613055441314", "火田镇我家土坯房墙裂了")
    assert file_waiting(parts.session_factory, parts.tools, RULES) == 2
    db.rollback()
    assert db.scalar(select(InboundSms.kind).where(InboundSms.from_hash == "0" * 64)) == "set-aside"
    assert counted(db, Complaint) == 1


def test_a_complaint_acted_on_later_counts_from_when_it_came(app, db):
    parts = app.extensions["complaints"]
    late_evening = datetime(2026, 11, 27, 15, 59, 50, tzinfo=UTC)  # 23:59:50 in the county
    with frozen_at(late_evening):
        keep(app, "SM" + "6" * 32, "+8613055441314", "火田镇我家土坯房墙裂了")
    with frozen_at(late_evening + timedelta(seconds=30)):  # the worker's round, the next day
        file_waiting(parts.session_factory, parts.tools, RULES)
    db.rollback()
    complaint = db.scalar(select(Complaint))
    assert complaint.received_at == late_evening
    assert complaint.tracking_number.startswith("YX20261127-")


def test_a_flood_from_one_number_does_not_hold_back_another_senders_receipt(app, db):
    parts = app.extensions["complaints"]
    for n in range(30):
        keep(app, f"SM7{n:031d}", "+8613055441377", "莆美镇房子漏雨" if n == 0 else f"再发{n}")
    keep(app, "SM" + "8" * 32, "+8613055441388", "火田镇我家土坯房墙裂了")
    assert file_waiting(parts.session_factory, parts.tools, RULES, limit=1) == 1
    db.rollback()
    # The resident's message came last, and is the one filed first.
    assert db.scalar(select(InboundSms.kind).where(InboundSms.message_sid == "SM" + "8" * 32)) == "new"
    while file_waiting(parts.session_factory, parts.tools, RULES):
        pass
    assert counted(db, InboundSms, InboundSms.kind.is_(None)) == 0
    assert counted(db, InboundSms, InboundSms.kind == "follow-up") == 29  # the flood, in order


def test_a_number_gets_at_most_its_answers_in_an_hour_and_everything_is_still_filed(app, db):
    parts = app.extensions["complaints"]
    for n in range(5):
        keep(app, f"SM9{n:031d}", "+8613055441399", "陈岱镇房子墙裂了" if n == 0 else f"补充{n}")
    keep(app, "SM" + "a" * 32, "+8613055441300", "东厦镇屋顶漏雨")
    rules = SmsRules(follow_up_window=timedelta(minutes=30), replies_per_hour=3)
    while file_waiting(parts.session_factory, parts.tools, rules):
        pass
    assert counted(db, InboundSms, InboundSms.kind.is_(None)) == 0
    assert counted(db, Complaint) == 2
    assert counted(db, InboundSms, InboundSms.kind == "follow-up") == 4  # all kept in the case
    assert counted(db, OutboxMessage) == 3 + 1  # three for the flood, one for the other number
    assert counted(db, InboundSms, InboundSms.reply_sealed.is_(None)) == 2
    # An hour on, the number is answered again.
    with frozen_at(datetime.now(UTC) + timedelta(hours=1, minutes=1)):
        keep(app, "SM" + "b" * 32, "+8613055441399", "陈岱镇房子墙裂了")
        file_waiting(parts.session_factory, parts.tools, rules)
    assert counted(db, OutboxMessage) == 5


def test_a_set_aside_message_is_listed_and_can_be_put_back_for_the_worker(app, db):
    parts = app.extensions["complaints"]
    keep(app, "SM" + "c" * 32, "+8613055441314", "火田镇我家土坯房墙裂了")
    with parts.session_factory() as session:
        session.execute(update(InboundSms).values(kind="set-aside"))  # as a failed filing leaves it
        session.commit()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["outbox", "set-aside"])
    assert listed.exit_code == 0 and "1 set aside" in listed.output
    assert "火田镇我家土坯房墙裂了" in listed.output
    assert "+8613055441314" not in listed.output
    message_id = str(db.scalar(select(InboundSms.id)))
    assert "1 waiting again" in runner.invoke(args=["outbox", "retry-sms", message_id, "0"]).output
    assert file_waiting(parts.session_factory, parts.tools, RULES) == 1
    assert counted(db, Complaint) == 1
    # A message acted on is not put back.
    assert "0 waiting again" in runner.invoke(args=["outbox", "retry-sms", message_id]).output
