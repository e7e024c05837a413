"""Permissions: the query filter and the per-case check agree, for every role and case."""

import pytest
from sqlalchemy import select

from complaints.cases import policy
from complaints.cli.demo import DEMO_ACCOUNTS, seed_demo
from complaints.core.vocabulary import Channel, Role
from complaints.db.models import Complaint, User
from tests.conftest import PASSWORD


@pytest.fixture
def seeded(db, tools, vault):
    seed_demo(db, tools)
    db.commit()
    users = {user.username: user for user in db.scalars(select(User))}
    cases = db.scalars(select(Complaint)).all()
    return users, cases


def visible_numbers(db, user):
    return set(db.scalars(select(Complaint.tracking_number).where(policy.case_visibility(user))))


def test_filter_and_check_agree_for_every_demo_account(db, seeded):
    users, cases = seeded
    assert len(users) == len(DEMO_ACCOUNTS) and len(cases) >= 24
    for user in users.values():
        by_check = {case.tracking_number for case in cases if policy.can_see_case(user, case)}
        assert visible_numbers(db, user) == by_check, user.username


def test_liaison_sees_exactly_the_cases_of_their_unit(db, seeded):
    users, cases = seeded
    liaison = users["liaison-huotian"]
    expected = {
        case.tracking_number for case in cases
        if (case.responsible_unit and case.responsible_unit.slug == "huotian")
        or any(unit.slug == "huotian" for unit in case.co_units)
    }
    assert expected and visible_numbers(db, liaison) == expected


def test_lead_sees_all_and_admin_sees_none(db, seeded):
    users, cases = seeded
    assert visible_numbers(db, users["lead"]) == {case.tracking_number for case in cases}
    assert visible_numbers(db, users["admin"]) == set()


def test_operator_sees_phone_cases_only(db, seeded):
    users, cases = seeded
    seen = visible_numbers(db, users["operator"])
    assert seen == {c.tracking_number for c in cases
                    if c.channel in (Channel.HOTLINE, Channel.VOICE)}


def test_commission_sees_every_case_a_clue_came_from(db, seeded):
    users, cases = seeded
    seen = visible_numbers(db, users["commission"])
    assert seen and seen == {case.tracking_number for case in cases if case.clues}


def test_deactivated_account_sees_nothing(db, seeded):
    users, _cases = seeded
    lead = users["lead"]
    lead.is_active = False
    assert visible_numbers(db, lead) == set()


def test_identity_access_by_role(db, seeded):
    users, cases = seeded
    misconduct = next(c for c in cases if c.alleges_misconduct and c.responsible_unit)
    ordinary = next(c for c in cases if not c.alleges_misconduct
                    and policy.can_see_case(users["liaison-huotian"], c)
                    and not policy.can_see_case(users["liaison-yunling"], c))
    A = policy.IdentityAccess
    assert policy.identity_access(users["lead"], misconduct) is A.FULL
    assert policy.identity_access(users["lead"], ordinary) is A.FULL
    assert policy.identity_access(users["liaison-huotian"], ordinary) is A.MASKED
    assert policy.identity_access(users["liaison-yunling"], ordinary) is A.NONE
    assert policy.identity_access(users["admin"], ordinary) is A.NONE


def test_liaison_never_sees_identity_on_a_misconduct_report(db, tools, vault):
    from complaints.accounts import create_user
    from complaints.db.models import Unit
    from complaints.intake.filing import NewComplaint, file_complaint

    liaison = create_user(db, "l-chendai", Role.LIAISON, PASSWORD, unit_slug="chendai")
    complaint = file_complaint(db, tools, NewComplaint(
        channel=Channel.WEB, description="县民政局的人收红包才给评低保，我家土坯房墙裂了",
        township_slug="chendai",
        alleges_misconduct=True, reporter_phone="13055441314",
    )).complaint
    complaint.responsible_unit = db.scalar(select(Unit).where(Unit.slug == "chendai"))
    db.flush()
    assert policy.can_see_case(liaison, complaint)
    assert policy.identity_access(liaison, complaint) is policy.IdentityAccess.NONE
