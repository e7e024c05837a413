"""The record cannot be quietly rewritten (issue 15), tried as someone holding the database:
links recomputed, the newest events cut off, case fields changed, an old row put back; and as
someone holding the key as well, caught by a checkpoint the commission filed."""

import hashlib

import pytest
from sqlalchemy import select, text

from complaints.cases.audit import (
    CONTENT_FIELDS,
    GENESIS,
    canonical,
    check_checkpoint,
    checkpoint,
    head_mac,
    keyed_link,
    keys_of,
    link_hash,
    parse_checkpoint,
    verify,
)
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.cli.demo import seed_demo
from complaints.core.clock import now_utc
from complaints.core.identity import audit_keys
from complaints.core.vocabulary import Channel, EventKind, Role
from complaints.db.models import AuditHead, CaseEvent, Complaint, User
from complaints.intake.filing import NewComplaint, file_complaint
from complaints.reports.files.common import report_facts
from complaints.reports.quarterly import Quarter, quarterly_report
from tests.storage.test_audit_and_jobs import without_guard


@pytest.fixture
def cases(db, tools, make_user):
    lead = make_user("lead1", Role.LEAD, "housing")
    filed = [file_complaint(db, tools, NewComplaint(channel=Channel.SMS, description=text_)).complaint
             for text_ in ("火田镇房子裂了", "马铺乡屋顶漏雨", "台风把下河乡的房子吹坏了")]
    perform(db, tools, filed[0], ActionRequest(EventKind.ACCEPT), frozenset({Relation.LEAD}), lead)
    db.commit()
    return filed


def rehash_from(db, seq, link):
    """Recompute every link from ``seq`` on, and the head, as the tamperer would."""
    events = db.scalars(select(CaseEvent).where(CaseEvent.seq >= seq).order_by(CaseEvent.seq)).all()
    prev = db.scalar(select(CaseEvent.hash).where(CaseEvent.seq == seq - 1)) or GENESIS
    for event in events:
        content = canonical(seq=event.seq, **{name: getattr(event, name) for name in CONTENT_FIELDS})
        digest = link(prev, content)
        db.execute(text("UPDATE case_events SET prev_hash = :p, hash = :h WHERE id = :id"),
                   {"p": prev, "h": digest, "id": event.id})
        prev = digest
    db.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})
    db.expire_all()


def test_an_edited_event_with_its_hashes_recomputed_is_caught(db, cases):
    without_guard(db)
    db.execute(text("UPDATE case_events SET note = '已核实不属实' WHERE seq = 2"))
    rehash_from(db, 2, link_hash)  # plain SHA-256, all anyone without the key can compute
    verdict = verify(db)
    assert not verdict.ok and "head" in verdict.problem  # the head's seal needs the key
    # And were the head's seal right, the recomputed link itself does not hold.
    head = db.get(AuditHead, 1)
    head.mac = head_mac(keys_of(db), head.seq, head.hash, head.keyed_from_seq)
    db.flush()
    verdict = verify(db)
    assert not verdict.ok and verdict.broken_seq == 2 and "altered" in verdict.problem


def test_the_newest_events_cut_off_are_caught(db, cases):
    without_guard(db)
    db.execute(text("DELETE FROM case_events WHERE seq >= 3"))
    earlier = db.scalar(select(CaseEvent.hash).where(CaseEvent.seq == 2))
    db.execute(text("UPDATE audit_head SET seq = 2, hash = :h"), {"h": earlier})
    db.expire_all()
    verdict = verify(db)
    assert not verdict.ok and "head" in verdict.problem
    db.execute(text("UPDATE audit_head SET mac = NULL"))  # nor by taking the head's seal off
    db.expire_all()
    assert not verify(db).ok


def test_new_events_are_never_linked_to_a_head_that_does_not_hold(db, tools, cases):
    db.execute(text("UPDATE audit_head SET mac = :m"), {"m": "0" * 64})
    db.commit()
    db.expire_all()
    with pytest.raises(RuntimeError, match="head"):
        file_complaint(db, tools, NewComplaint(channel=Channel.SMS, description="火田镇房子裂了"))


@pytest.mark.parametrize(("column", "value"), [
    ("description", "已经修好了"),
    ("alleges_misconduct", True),
    ("responsible_unit_id", "(SELECT id FROM units WHERE slug = 'mapu')"),
    ("status", "'closed'"),
])
def test_a_case_field_changed_in_the_database_is_caught(db, cases, column, value):
    number = cases[0].tracking_number
    if column == "description":
        db.execute(text("UPDATE complaints SET description = :v WHERE id = :id"),
                   {"v": value, "id": cases[0].id})
    else:
        db.execute(text(f"UPDATE complaints SET {column} = {value} WHERE id = :id"), {"id": cases[0].id})
    db.expire_all()
    verdict = verify(db)
    assert not verdict.ok and number in verdict.problem
    assert "changed outside the service" in verdict.problem


def test_an_older_copy_of_a_case_put_back_is_caught(db, tools, cases, make_user):
    before = db.execute(text("SELECT status, seal, last_event_seq FROM complaints WHERE id = :id"),
                        {"id": cases[1].id}).one()
    lead = db.scalar(select(User).where(User.username == "lead1"))
    perform(db, tools, cases[1], ActionRequest(EventKind.ACCEPT), frozenset({Relation.LEAD}), lead)
    db.commit()
    db.execute(text("UPDATE complaints SET status = :s, seal = :seal, last_event_seq = :l WHERE id = :id"),
               {"s": before.status, "seal": before.seal, "l": before.last_event_seq, "id": cases[1].id})
    db.expire_all()
    verdict = verify(db)
    assert not verdict.ok and "latest event" in verdict.problem


def test_every_flow_of_the_demo_keeps_the_chain_and_the_seals(db, tools):
    seed_demo(db, tools)
    db.commit()
    verdict = verify(db)
    assert verdict.ok, verdict.problem
    assert verdict.records >= db.scalar(select(text("count(*)")).select_from(Complaint))


def test_a_rewrite_with_the_key_is_caught_by_the_filed_checkpoint(db, cases):
    filed = parse_checkpoint(checkpoint(db).line())  # the commission files this line
    public = keys_of(db).public_key
    assert check_checkpoint(db, filed, public) is None
    # Someone with the database and the key rewrites an event and every link after it.
    without_guard(db)
    db.execute(text("UPDATE case_events SET note = '无' WHERE seq = 1"))
    keys = keys_of(db)
    rehash_from(db, 1, lambda prev, content: keyed_link(keys, prev, content))
    head = db.get(AuditHead, 1)
    head.mac = head_mac(keys, head.seq, head.hash, head.keyed_from_seq)
    db.flush()
    assert verify(db).ok  # the chain alone cannot tell
    problem = check_checkpoint(db, filed, public)
    assert problem is not None and "rewritten after the checkpoint" in problem


def test_a_checkpoint_is_only_believed_with_the_services_own_signature(db, cases):
    line = checkpoint(db).line()
    forged = parse_checkpoint(line)
    forged = type(forged)(forged.seq, hashlib.sha256(b"x").hexdigest(), forged.at, forged.public_key,
                          forged.signature)
    assert "not signed" in check_checkpoint(db, forged, keys_of(db).public_key)
    # A line signed with another key claims that key: the commission checks with the one it kept.
    other = audit_keys(b"\x07" * 32)
    assert "not signed" in check_checkpoint(db, parse_checkpoint(line), other.public_key)


def test_the_checkpoint_commands(app, db, cases, tmp_path):
    runner = app.test_cli_runner()
    line = runner.invoke(args=["audit", "checkpoint"]).output.strip()
    assert line.startswith("checkpoint seq=") and " sig=" in line
    filed = tmp_path / "filed.txt"
    filed.write_text(line + "\n", encoding="utf-8")
    result = runner.invoke(args=["audit", "verify", "--checkpoints", str(filed)])
    assert result.exit_code == 0 and "agrees with 1 checkpoint(s)" in result.output
    without_guard(db)
    db.execute(text("DELETE FROM case_events"))
    db.execute(text("UPDATE audit_head SET seq = 0, hash = :g, mac = NULL, keyed_from_seq = 1"),
               {"g": GENESIS})
    db.execute(text("DELETE FROM clues"))
    db.execute(text("UPDATE complaints SET last_event_seq = NULL"))
    db.commit()
    result = runner.invoke(args=["audit", "verify", "--checkpoints", str(filed)])
    assert result.exit_code == 1 and "CHECKPOINT:" in result.output and "is gone" in result.output


def test_each_quarterly_report_prints_a_signed_checkpoint(db, tools, cases):
    report = quarterly_report(db, tools.router.table, Quarter.parse("2026Q4"), now_utc())
    [fact] = [fact for fact in report_facts(report) if "签名的审计链检查点" in fact]
    filed = parse_checkpoint(fact[fact.index("checkpoint seq="):])
    assert filed.seq == report.chain_seq and filed.hash == report.chain_hash
    assert check_checkpoint(db, filed, keys_of(db).public_key) is None
