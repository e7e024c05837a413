"""Filing a complaint: numbers people can read out, codes stored only as hashes,
identities encrypted at rest, and the limits every channel shares."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from complaints.cases.identities import bind_unbound, reporter_field
from complaints.core.clock import frozen_at
from complaints.core.identity import IdentityVault, UnboundValueError, WrongKeyError
from complaints.core.vocabulary import CaseStatus, Channel
from complaints.db.models import CaseEvent, Complaint, ReporterIdentity
from complaints.intake.filing import FilingError, NewComplaint, file_complaint, query_code_hash
from tests.conftest import app_config

LATE_EVENING_UTC = datetime(2026, 11, 28, 17, 30, tzinfo=UTC)  # 01:30 on the 29th in Yunxiao


def new(**fields):
    base = {"channel": Channel.WEB, "description": "我家土坯房后墙裂了一条大缝，下雨天怕倒。",
            "township_slug": "huotian", "village": "菜埔村"}
    base.update(fields)
    return NewComplaint(**base)


def test_tracking_numbers_count_per_local_day(db, tools, vault):
    with frozen_at(LATE_EVENING_UTC):
        first = file_complaint(db, tools, new()).complaint
        second = file_complaint(db, tools, new(channel=Channel.SMS)).complaint
    db.commit()
    # The county's date, not UTC's: at 17:30 UTC it is already the 29th in Yunxiao.
    assert first.tracking_number == "YX20261129-0001"
    assert second.tracking_number == "YX20261129-0002"
    with frozen_at(datetime(2026, 11, 29, 16, 5, tzinfo=UTC)):
        assert file_complaint(db, tools, new()).complaint.tracking_number == "YX20261130-0001"


def test_query_code_is_six_digits_and_stored_only_as_a_hash(db, tools, vault):
    filed = file_complaint(db, tools, new())
    db.commit()
    assert re.fullmatch(r"\d{6}", filed.query_code)
    stored = db.get(Complaint, filed.complaint.id)
    assert filed.query_code not in stored.query_code_hash
    assert stored.query_code_hash == query_code_hash(vault, stored.tracking_number, filed.query_code)


def test_reporter_identity_is_encrypted_at_rest(db, tools, vault):
    filed = file_complaint(db, tools, new(reporter_name="林秀英", reporter_phone="130 5544 1314"))
    db.commit()
    raw = db.execute(text("SELECT name_sealed, phone_sealed FROM reporter_identities")).one()
    for column in raw:
        blob = bytes(column)
        assert "林秀英".encode() not in blob
        assert b"13055441314" not in blob and b"5544" not in blob
    reporter = db.get(Complaint, filed.complaint.id).reporter
    assert reporter_field(vault, reporter, "name") == "林秀英"
    assert reporter_field(vault, reporter, "phone") == "+8613055441314"


def test_an_identity_moved_to_another_case_does_not_open_there(db, tools, vault):
    """Someone with the database moves a reporter's row to another case, or copies a sealed
    name into another reporter's row: neither opens as that case's reporter."""
    named = file_complaint(db, tools, new(reporter_name="林秀英", reporter_phone="130 5544 1314"))
    other = file_complaint(db, tools, new(reporter_name="陈阿土"))
    db.commit()
    moved_name = named.complaint.reporter.name_sealed
    db.execute(text("DELETE FROM reporter_identities WHERE complaint_id = :other"),
               {"other": other.complaint.id})
    db.execute(text("UPDATE reporter_identities SET complaint_id = :other WHERE complaint_id = :named"),
               {"other": other.complaint.id, "named": named.complaint.id})
    db.commit()
    db.expire_all()
    with pytest.raises(WrongKeyError):
        reporter_field(vault, db.get(Complaint, other.complaint.id).reporter, "name")
    third = file_complaint(db, tools, new(reporter_name="黄水仙"))
    third.complaint.reporter.name_sealed = moved_name
    db.commit()
    with pytest.raises(WrongKeyError):
        reporter_field(vault, third.complaint.reporter, "name")


def test_identities_sealed_before_binding_are_bound_once(db, tools, vault):
    filed = file_complaint(db, tools, new(reporter_name="林秀英"))
    reporter = filed.complaint.reporter
    reporter.name_sealed = vault.seal("林秀英", "reporter-name")  # as the first version sealed it
    db.commit()
    with pytest.raises(UnboundValueError):
        reporter_field(vault, reporter, "name")
    assert bind_unbound(db, vault) == 1
    assert bind_unbound(db, vault) == 0
    assert reporter_field(vault, reporter, "name") == "林秀英"


def test_repeat_reporter_is_found_without_decrypting(db, tools, vault):
    file_complaint(db, tools, new(reporter_phone="13055441314"))
    file_complaint(db, tools, new(reporter_phone="+86 130-5544-1314", channel=Channel.SMS))
    file_complaint(db, tools, new(reporter_phone="13900000000"))
    db.commit()
    wanted = vault.phone_hash("+8613055441314")
    matches = db.scalars(select(ReporterIdentity).where(ReporterIdentity.phone_hash == wanted))
    assert len(matches.all()) == 2


def test_anonymous_report_stores_no_identity(db, tools, vault):
    filed = file_complaint(db, tools, new(reporter_name="  ", reporter_phone=""))
    db.commit()
    assert filed.complaint.reporter is None


def test_received_event_is_written_with_the_case(db, tools, vault):
    filed = file_complaint(db, tools, new())
    db.commit()
    events = db.scalars(select(CaseEvent).where(CaseEvent.complaint_id == filed.complaint.id)).all()
    assert [(e.action, e.to_status) for e in events] == [("received", CaseStatus.RECEIVED.value)]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"description": "   "}, "description"),
        ({"description": "字" * 4001}, "description"),
        ({"village": "村" * 61}, "village"),
        ({"address": "路" * 201}, "address"),
        ({"reporter_name": "名" * 41}, "reporter_name"),
        ({"reporter_phone": "call me maybe"}, "reporter_phone"),
        ({"township_slug": "atlantis"}, "township"),
        ({"township_slug": "market"}, "township"),
        ({"latitude": 123.0}, "latitude"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(db, tools, vault, fields, field):
    with pytest.raises(FilingError) as raised:
        file_complaint(db, tools, new(**fields))
    assert raised.value.field == field


def test_longest_allowed_description_is_kept_whole(db, tools, vault):
    text_4000 = "房" * 4000
    filed = file_complaint(db, tools, new(description=text_4000))
    db.commit()
    db.expire_all()
    assert db.get(Complaint, filed.complaint.id).description == text_4000


def test_case_events_cannot_be_changed_or_deleted(db, tools, vault):
    filed = file_complaint(db, tools, new())
    db.commit()
    event = filed.complaint.events[0]
    event.note = "rewritten"
    with pytest.raises(PermissionError):
        db.flush()
    db.rollback()
    # Even bypassing the ORM, the database refuses.
    with pytest.raises(DBAPIError, match="append-only"):
        db.execute(update(CaseEvent).values(note="rewritten"))
    db.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        db.execute(text("DELETE FROM case_events"))
    db.rollback()
    assert db.scalar(select(CaseEvent.note)) is None


def test_app_refuses_to_start_with_a_key_that_cannot_read_the_database(app, db, tools, vault, database_url,
                                                                          tmp_path):
    from complaints.app import create_app

    file_complaint(db, tools, new(reporter_name="林秀英"))
    db.commit()
    with pytest.raises(WrongKeyError, match="Refusing to start"):
        create_app(app_config(database_url, tmp_path))
    # The right key still starts.
    key = app.extensions["complaints"].settings.encryption_key
    import base64

    same = create_app(app_config(database_url, tmp_path,
                                 ENCRYPTION_KEY=base64.urlsafe_b64encode(key).decode()))
    same.extensions["complaints"].engine.dispose()
    assert isinstance(same.extensions["complaints"].vault, IdentityVault)


def test_a_landline_is_kept_for_calling_back_but_gets_no_sms_receipt(db, tools):
    from complaints.db.models import OutboxMessage

    for phone, expected in (("0596-8525603", 0), ("130 5544 1314", 1)):
        before = len(db.scalars(select(OutboxMessage)).all())
        filed = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇我家土坯房墙裂了", reporter_phone=phone,
            receipt_by_sms=True)).complaint
        assert filed.reporter.phone_sealed is not None
        assert len(db.scalars(select(OutboxMessage)).all()) - before == expected
