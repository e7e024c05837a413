"""Several audit chains (issue 18): filings about different cases never wait on one head row,
while each chain still holds as the one chain did; a head row taken away is not quietly
started again."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from complaints.cases.audit import CHAINS, ChainError, chain_of, verify
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.core.vocabulary import Channel, EventKind, Role
from complaints.db.base import make_engine
from complaints.db.models import CaseEvent, Clue, Complaint, User
from complaints.intake.filing import NewComplaint, file_complaint


def test_a_cases_events_stay_in_its_chain_and_places_grow(db, tools):
    cases = [file_complaint(db, tools, NewComplaint(Channel.SMS, f"火田镇房子裂了，第{n}户")).complaint
             for n in range(CHAINS + 2)]
    db.commit()
    events = db.scalars(select(CaseEvent).order_by(CaseEvent.seq)).all()
    assert [event.chain for event in events] == [chain_of(case.id, None) for case in cases]
    assert len({event.chain for event in events}) == CHAINS - 1  # every chain of cases in use
    assert [event.seq for event in events] == sorted({event.seq for event in events})
    assert verify(db).ok


def test_a_clue_filed_with_its_case_is_linked_in_the_cases_chain(db, tools):
    # Taking a second head, which a filing about another case may hold, would make a filing
    # with an accusation wait (or, two such filings taking two heads in turn, deadlock).
    for n in range(2):  # cases without a clue first, so that cases and clues differ in id
        file_complaint(db, tools, NewComplaint(Channel.SMS, f"火田镇房子裂了，第{n}户"))
    filed = [file_complaint(db, tools, NewComplaint(Channel.SMS, f"火田镇村干部收了红包才给评危改，第{n}户"))
             for n in range(3)]
    db.commit()
    for case in (one.complaint for one in filed):
        chains = set(db.scalars(select(CaseEvent.chain).join(Clue, CaseEvent.clue_id == Clue.id)
                                .where(Clue.complaint_id == case.id)))
        assert chains == {chain_of(case.id, None)}
    assert verify(db).ok


def test_a_filing_does_not_wait_for_one_about_another_case(db, tools, database_url, app):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: its filings queue by design")
    engine = make_engine(database_url)
    info = app.extensions["complaints"].session_factory.kw["info"]
    with Session(engine, info=info) as first, Session(engine, info=info) as second:
        file_complaint(first, tools, NewComplaint(Channel.SMS, "火田镇房子裂了"))  # still open
        first.flush()
        second.execute(text("SET lock_timeout = '1s'"))
        # The second case is in another chain: its head is free, its number too.
        file_complaint(second, tools, NewComplaint(Channel.SMS, "马铺乡屋顶漏雨"))
        second.commit()
        first.commit()
    engine.dispose()
    assert verify(db).ok


def test_an_event_holds_its_chain_until_its_request_ends(db, tools, database_url, app, make_user):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: its filings queue by design")
    lead = make_user("lead1", Role.LEAD, "housing")
    case = file_complaint(db, tools, NewComplaint(Channel.SMS, "火田镇房子裂了")).complaint
    db.commit()
    engine = make_engine(database_url)
    info = app.extensions["complaints"].session_factory.kw["info"]
    with Session(engine, info=info) as first, Session(engine, info=info) as second:
        perform(first, tools, first.get(Complaint, case.id), ActionRequest(EventKind.ACCEPT),
                frozenset({Relation.LEAD}), first.get(User, lead.id))
        first.flush()  # holds the case's chain head
        second.execute(text("SET lock_timeout = '500ms'"))
        with pytest.raises(OperationalError):
            second.scalar(text("SELECT id FROM audit_head WHERE id = :id FOR UPDATE"),
                          {"id": chain_of(case.id, None) + 1})
        second.rollback()
        first.commit()
    engine.dispose()


def test_a_chain_whose_head_row_was_taken_away_is_not_started_again(db, tools):
    case = file_complaint(db, tools, NewComplaint(Channel.SMS, "火田镇房子裂了")).complaint
    db.commit()
    db.execute(text("DELETE FROM audit_head WHERE id = :id"), {"id": chain_of(case.id, None) + 1})
    db.commit()
    again = case.id + CHAINS - 1  # the next case in the same chain
    assert chain_of(again, None) == chain_of(case.id, None)
    with pytest.raises(ChainError, match="head is gone"):
        for _ in range(CHAINS - 1):
            file_complaint(db, tools, NewComplaint(Channel.SMS, "马铺乡屋顶漏雨"))
