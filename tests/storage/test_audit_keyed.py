"""The record cannot be quietly rewritten (issue 15), tried as someone holding the database:
links recomputed, the newest events cut off, case fields changed, an old row put back; and as
someone holding the key as well, caught by a checkpoint the commission filed."""

import hashlib

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm.exc import StaleDataError

from complaints.cases.audit import (
    CHAINS,
    CONTENT_FIELDS,
    GENESIS,
    LEGACY_FORMAT,
    canonical,
    check_checkpoint,
    checkpoint,
    head_mac,
    keyed_link,
    keys_of,
    link_hash,
    parse_checkpoint,
    seal_unsealed,
    verify,
)
from complaints.cases.clues import NewClue, record_clue
from complaints.cases.identities import accused_name, bind_unbound
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.cli.demo import seed_demo
from complaints.core.clock import now_utc
from complaints.core.identity import audit_keys
from complaints.core.vocabulary import Channel, ClueSource, EventKind, Role
from complaints.db.models import AuditHead, CaseEvent, Clue, Complaint, User
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
    """Recompute every link from ``seq`` on in each chain, and its head, as the tamperer would."""
    for chain in range(CHAINS):
        events = db.scalars(select(CaseEvent).where(CaseEvent.chain == chain, CaseEvent.seq >= seq)
                            .order_by(CaseEvent.seq)).all()
        if not events:
            continue
        prev = db.scalar(select(CaseEvent.hash).where(CaseEvent.chain == chain, CaseEvent.seq < seq)
                         .order_by(CaseEvent.seq.desc()).limit(1)) or GENESIS
        for event in events:
            content = canonical(seq=event.seq, **{name: getattr(event, name) for name in CONTENT_FIELDS})
            digest = link(prev, content)
            db.execute(text("UPDATE case_events SET prev_hash = :p, hash = :h WHERE id = :id"),
                       {"p": prev, "h": digest, "id": event.id})
            prev = digest
        db.execute(text("UPDATE audit_head SET hash = :h WHERE id = :id"), {"h": prev, "id": chain + 1})
    db.expire_all()


def reseal_heads(db, keys):
    """The heads' MACs made again with the key, as someone holding it would."""
    for head in db.scalars(select(AuditHead)):
        if head.seq:
            head.mac = head_mac(keys, head.seq, head.hash, head.keyed_from_seq, head.id - 1)
    db.flush()


def test_an_edited_event_with_its_hashes_recomputed_is_caught(db, cases):
    without_guard(db)
    db.execute(text("UPDATE case_events SET note = '已核实不属实' WHERE seq = 2"))
    rehash_from(db, 2, link_hash)  # plain SHA-256, all anyone without the key can compute
    verdict = verify(db)
    assert not verdict.ok and "head" in verdict.problem  # the head's seal needs the key
    # And were the head's seal right, the recomputed link itself does not hold.
    reseal_heads(db, keys_of(db))
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
    reseal_heads(db, keys)
    assert verify(db).ok  # the chains alone cannot tell
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


def relink_as_before_the_keys(db):
    """Every link recomputed in the first release's plain SHA-256, in its one chain, and the
    head made to say the keys begin after it, as a tamperer without the key would try to pass
    a rewrite (or as a database of the first release was)."""
    db.execute(text("UPDATE case_events SET chain = 0"))
    db.execute(text("UPDATE audit_head SET seq = 0, hash = :g, mac = NULL, keyed_from_seq = 1 WHERE id > 1"),
               {"g": GENESIS})
    events = db.scalars(select(CaseEvent).order_by(CaseEvent.seq)).all()
    prev = GENESIS
    for event in events:
        content = canonical(seq=event.seq, format=LEGACY_FORMAT,
                            **{name: getattr(event, name) for name in CONTENT_FIELDS})
        digest = link_hash(prev, content)
        db.execute(text("UPDATE case_events SET prev_hash = :p, hash = :h WHERE id = :id"),
                   {"p": prev, "h": digest, "id": event.id})
        prev = digest
    db.execute(text("UPDATE audit_head SET seq = :s, hash = :h, mac = NULL, keyed_from_seq = :k "
                    "WHERE id = 1"), {"s": events[-1].seq, "h": prev, "k": events[-1].seq + 1})
    db.commit()
    db.expire_all()


def test_a_rewrite_passed_off_as_made_before_the_keys_is_caught(db, tools, cases):
    without_guard(db)
    db.execute(text("UPDATE case_events SET note = '伪造' WHERE seq = 2"))
    relink_as_before_the_keys(db)
    verdict = verify(db)
    assert not verdict.ok and "no seal" in verdict.problem
    # Nothing new is linked to it (a new case goes to a chain of its own), nor signed.
    new = file_complaint(db, tools, NewComplaint(channel=Channel.SMS, description="火田镇房子裂了"))
    assert new.complaint.events[0].chain != 0
    assert "no seal" in verify(db).problem
    with pytest.raises(RuntimeError):
        checkpoint(db)


def test_db_upgrade_keys_a_chain_made_before_the_keys(db, tools, make_user, vault):
    """A database of the first release, after the migrations: plain links, no seals, an
    accused name sealed without its clue. What `flask db upgrade` runs then makes it hold."""
    liaison = make_user("l1", Role.LIAISON, "huotian")
    file_complaint(db, tools, NewComplaint(channel=Channel.SMS, description="火田镇房子裂了"))
    record_clue(db, tools, liaison, NewClue(ClueSource.FOUND_BY_UNIT, "某干部收钱", accused_name="王某"))
    db.commit()
    without_guard(db)
    relink_as_before_the_keys(db)
    db.execute(text("UPDATE complaints SET seal = NULL, last_event_seq = NULL"))
    db.execute(text("UPDATE clues SET seal = NULL, last_event_seq = NULL, accused_name_sealed = :s"),
               {"s": vault.seal("王某", "accused-name")})
    db.commit()
    db.expire_all()
    assert not verify(db).ok
    bind_unbound(db, vault)
    assert seal_unsealed(db) == 2
    db.commit()
    db.expire_all()
    verdict = verify(db)
    assert verdict.ok, verdict.problem
    clue = db.scalar(select(Clue))
    assert accused_name(vault, clue) == "王某"


def test_two_requests_on_one_case_cannot_both_write_it(app, db, tools, cases):
    """One page loaded the case; meanwhile another request acted on it: the first keeps nothing
    (a 409 for people) rather than write a row its seal does not match."""
    case_id = cases[1].id
    first = db.get(Complaint, case_id)
    lead = db.scalar(select(User).where(User.username == "lead1"))
    db.commit()
    with app.extensions["complaints"].session_factory() as other:
        perform(other, tools, other.get(Complaint, cases[1].id), ActionRequest(EventKind.ACCEPT),
                frozenset({Relation.LEAD}), other.get(User, lead.id))
        other.commit()
    with pytest.raises(StaleDataError):
        perform(db, tools, first, ActionRequest(EventKind.REJECT, reason="重复举报"),
                frozenset({Relation.LEAD}), lead)
        db.commit()
    db.rollback()
    verdict = verify(db)
    assert verdict.ok, verdict.problem
    assert db.get(Complaint, case_id).status.value == "accepted"
