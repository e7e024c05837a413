"""Staff sessions live on the server (issue 15): tried as someone who copied a cookie would."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from complaints.accounts import deactivate
from complaints.core.clock import frozen_at
from complaints.core.vocabulary import Role
from complaints.db.models import StaffSession
from tests.conftest import csrf_token_from, log_in

MORNING = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def lead(make_user):
    return make_user("lead1", Role.LEAD, "housing")


def staff_cookie(client):
    return client.get_cookie("staff_session", path="/staff")


def with_cookie(site, value, address="127.0.0.1"):
    other = site.test_client()
    other.set_cookie("staff_session", value, path="/staff")
    return other.get("/staff/", environ_base={"REMOTE_ADDR": address})


def test_a_cookie_copied_before_logout_opens_nothing_after(make_app, lead, db):
    site = make_app()
    client = site.test_client()
    log_in(client, "lead1")
    copied = staff_cookie(client).value
    assert with_cookie(site, copied).status_code == 200  # (the same browser, so to speak)
    page = client.get("/staff/").get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": csrf_token_from(page)})
    replayed = with_cookie(site, copied)
    assert replayed.status_code == 302 and "/staff/login" in replayed.location
    db.rollback()
    assert db.scalar(select(StaffSession.ended_because)) == "logout"


def test_a_copied_cookie_used_from_another_address_is_refused(make_app, lead):
    site = make_app()
    client = site.test_client()
    log_in(client, "lead1")
    stolen = with_cookie(site, staff_cookie(client).value, address="203.0.113.9")
    assert stolen.status_code == 302 and "/staff/login" in stolen.location


def test_an_idle_session_ends_and_so_does_a_long_one(make_app, lead, db):
    site = make_app(STAFF_IDLE_MINUTES="30", STAFF_SESSION_HOURS="10")
    client = site.test_client()
    with frozen_at(MORNING):
        log_in(client, "lead1")
    with frozen_at(MORNING + timedelta(minutes=29)):
        assert client.get("/staff/").status_code == 200
    with frozen_at(MORNING + timedelta(minutes=29 + 31)):
        assert client.get("/staff/").status_code == 302  # half an hour unused
    with frozen_at(MORNING + timedelta(minutes=29 + 32)):
        assert client.get("/staff/").status_code == 302  # and for good

    busy = site.test_client()
    with frozen_at(MORNING):
        log_in(busy, "lead1")
    for minutes in range(20, 10 * 60, 20):  # used every 20 minutes, all day
        with frozen_at(MORNING + timedelta(minutes=minutes)):
            assert busy.get("/staff/").status_code == 200, minutes
    with frozen_at(MORNING + timedelta(hours=10, minutes=5)):
        assert busy.get("/staff/").status_code == 302


def test_deactivating_an_account_ends_its_sessions(make_app, lead, db):
    client = make_app().test_client()
    log_in(client, "lead1")
    assert client.get("/staff/").status_code == 200
    deactivate(db, "lead1")
    db.commit()
    assert client.get("/staff/").status_code == 302
    db.rollback()
    assert db.scalar(select(StaffSession.ended_because)) == "deactivated"
    lead.is_active = True  # back in service: a new login, not the old session
    db.commit()
    assert client.get("/staff/").status_code == 302


def test_the_public_side_and_the_staff_side_have_separate_cookies(make_app, lead):
    client = make_app().test_client()
    client.get("/report")  # a resident's page: its cookie
    log_in(client, "lead1")
    public, staff = client.get_cookie("session"), staff_cookie(client)
    assert public is not None and staff is not None and public.value != staff.value
    assert staff.path == "/staff" and public.path == "/"
    # The staff cookie never goes to the residents' pages, and theirs opens no staff page.
    only_public = make_app().test_client()
    only_public.set_cookie("session", public.value)
    assert only_public.get("/staff/").status_code == 302
