"""Staff sessions live on the server (issue 15): tried as someone who copied a cookie would."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from complaints.accounts import deactivate
from complaints.core.clock import frozen_at
from complaints.core.vocabulary import Role
from complaints.db.models import StaffSession
from tests.conftest import PASSWORD, csrf_token_from, log_in

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


def change(client, current, new, repeat=None):
    page = client.get("/staff/password").get_data(as_text=True)
    return client.post("/staff/password", data={"csrf_token": csrf_token_from(page), "current": current,
                                                "new": new, "repeat": new if repeat is None else repeat})


def test_staff_change_their_own_password_and_other_sessions_end(make_app, lead):
    site = make_app()
    desk, phone = site.test_client(), site.test_client()
    log_in(desk, "lead1")
    log_in(phone, "lead1")
    answer = change(desk, PASSWORD, "梅花 windmill 晚饭 river")
    assert answer.status_code == 302
    assert desk.get("/staff/").status_code == 200  # this one stays logged in
    assert phone.get("/staff/").status_code == 302  # a session elsewhere (or a stolen cookie) ends
    assert log_in(site.test_client(), "lead1").status_code == 200  # the old password is gone
    assert log_in(site.test_client(), "lead1", "梅花 windmill 晚饭 river").status_code == 302


@pytest.mark.parametrize(("current", "new", "repeat", "said"), [
    (PASSWORD, "aaaaaaaaaaaa", None, "太容易被猜到"),
    (PASSWORD, "lead1lead1lead1", None, "太容易被猜到"),
    (PASSWORD, "yunxiao2026", None, "12 到 128"),
    (PASSWORD, "Yunxiao12345678", None, "太容易被猜到"),
    (PASSWORD, "梅花 windmill 晚饭 river", "梅花 windmill 晚饭 rivers", "两次输入"),
    ("not my password at all", "梅花 windmill 晚饭 river", None, "现在的密码不对"),
    (PASSWORD, PASSWORD, None, "不能和现在的一样"),
])
def test_a_weak_or_unproven_new_password_is_refused(make_app, lead, current, new, repeat, said):
    client = make_app().test_client()
    log_in(client, "lead1")
    answer = change(client, current, new, repeat)
    assert answer.status_code == 200 and said in answer.get_data(as_text=True)
    assert log_in(make_app().test_client(), "lead1").status_code == 302  # unchanged
