"""The second factor (issue 15), tried as someone who has the password but not the phone."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from complaints.accounts import second_factor
from complaints.core.clock import frozen_at
from complaints.core.vocabulary import EventKind, Role
from complaints.db.models import CaseEvent, StaffSession, User
from tests.conftest import PASSWORD, csrf_token_from, enter_code, log_in, totp_code

MORNING = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def password_step(client, username="lead1", password=PASSWORD, **kwargs):
    page = client.get("/staff/login", **kwargs).get_data(as_text=True)
    return client.post("/staff/login", data={"username": username, "password": password,
                                              "csrf_token": csrf_token_from(page)}, **kwargs)


def code_step(client, code, **kwargs):
    page = client.get("/staff/login/code", **kwargs).get_data(as_text=True)
    return client.post("/staff/login/code", data={"code": code, "csrf_token": csrf_token_from(page)},
                       **kwargs)


def log_out(client):
    page = client.get("/staff/second-factor").get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": csrf_token_from(page)})


def test_the_lead_must_enrol_before_anything_else_and_gets_recovery_codes(client, make_user, db):
    make_user("lead1", Role.LEAD, "housing", second_factor=False)
    response = log_in(client, "lead1")
    assert response.status_code == 302
    for path in ("/staff/", "/staff/cases", "/staff/clues/", "/staff/identity-views", "/staff/password"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.location.endswith("/staff/second-factor"), path
    page = client.get("/staff/second-factor").get_data(as_text=True)
    assert "必须启用两步验证" in page
    page = client.post("/staff/second-factor/start", data={"csrf_token": csrf_token_from(page)},
                       follow_redirects=True).get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert "<svg" in page  # the QR code to scan, drawn in the page
    wrong = client.post("/staff/second-factor/confirm", data={
        "code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111",
        "csrf_token": csrf_token_from(page)}, follow_redirects=True).get_data(as_text=True)
    assert "验证码不对" in wrong and client.get("/staff/").status_code == 302
    shown = client.post("/staff/second-factor/confirm", data={
        "code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token_from(page)}).get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/staff/").status_code == 200
    enrolled = db.scalars(select(CaseEvent).where(
        CaseEvent.action == EventKind.SECOND_FACTOR_ENROLLED)).all()
    assert [event.details for event in enrolled] == [{"user": "lead1"}]


def test_the_password_alone_opens_nothing(client, make_user):
    make_user("lead1", Role.LEAD, "housing")
    response = password_step(client)
    assert response.status_code == 302 and "/staff/login/code" in response.location
    assert client.get("/staff/").status_code == 302  # not logged in yet
    wrong = code_step(client, "123456" if totp_code(client.application, "lead1") != "123456" else "654321")
    assert "验证码不对" in wrong.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    assert code_step(client, totp_code(client.application, "lead1")).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_a_code_is_accepted_once(client, make_user):
    make_user("lead1", Role.LEAD, "housing")
    with frozen_at(MORNING):
        code = totp_code(client.application, "lead1")
        password_step(client)
        code_step(client, code)
        assert client.get("/staff/").status_code == 200
        log_out(client)
        password_step(client)
        replayed = code_step(client, code)  # seen over a shoulder, tried within the minute
        assert "验证码不对或已经用过" in replayed.get_data(as_text=True)
        assert client.get("/staff/").status_code == 302


def test_the_code_step_cannot_be_skipped_or_kept_waiting(client, make_user):
    make_user("lead1", Role.LEAD, "housing")
    response = client.get("/staff/login/code")
    assert response.status_code == 302 and response.location.endswith("/staff/login")
    with frozen_at(MORNING):
        password_step(client)
        token = csrf_token_from(client.get("/staff/login/code").get_data(as_text=True))
    with frozen_at(MORNING + timedelta(minutes=6)):  # five minutes to type the code
        answer = client.post("/staff/login/code", data={
            "code": totp_code(client.application, "lead1"), "csrf_token": token})
        assert answer.status_code == 302 and answer.location.endswith("/staff/login")
        assert client.get("/staff/").status_code == 302


def test_a_recovery_code_works_once(client, make_user, db):
    make_user("lead1", Role.LEAD, "housing", second_factor=False)
    log_in(client, "lead1")
    page = client.post("/staff/second-factor/start", data={"csrf_token": csrf_token_from(
        client.get("/staff/second-factor").get_data(as_text=True))}, follow_redirects=True)
    text = page.get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', text).group(1)
    shown = client.post("/staff/second-factor/confirm", data={
        "code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token_from(text)}).get_data(as_text=True)
    first = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", shown)[0]
    log_out(client)
    password_step(client)
    assert code_step(client, first.upper()).status_code == 302  # as typed from paper
    assert "剩余恢复码：9 个" in client.get("/staff/second-factor").get_data(as_text=True)
    log_out(client)
    password_step(client)
    assert "验证码不对" in code_step(client, first).get_data(as_text=True)


def test_guessing_codes_is_slowed(make_app, make_user):
    site = make_app(LOGIN_LIMIT_PER_ACCOUNT="3 per hour", LOGIN_LIMIT_PER_ADDRESS="100 per hour")
    make_user("lead1", Role.LEAD, "housing")
    client = site.test_client()
    password_step(client)
    right = totp_code(site, "lead1")
    guesses = [f"{n:06d}" for n in range(10) if f"{n:06d}" != right][:3]
    assert all(code_step(client, guess).status_code == 200 for guess in guesses)
    assert code_step(client, guesses[0]).status_code == 429


def test_others_may_enrol_and_are_then_asked_for_a_code(client, make_user):
    make_user("l-mapu", Role.LIAISON, "mapu")
    log_in(client, "l-mapu")
    assert client.get("/staff/").status_code == 200  # not required of a liaison
    page = client.get("/staff/second-factor").get_data(as_text=True)
    assert "启用后" in page


def test_an_admin_resets_a_lost_phone_and_the_chain_says_who(make_app, make_user, db):
    site = make_app()
    make_user("root", Role.ADMIN)
    lead = make_user("lead1", Role.LEAD, "housing")
    owner = site.test_client()
    log_in(owner, "lead1")
    admin = site.test_client()
    log_in(admin, "root")
    page = admin.get("/staff/").get_data(as_text=True)
    assert 'id="reset-lead1"' in page
    answer = admin.post(f"/staff/users/{lead.id}/reset-second-factor",
                        data={"csrf_token": csrf_token_from(page)}, follow_redirects=True)
    assert "已重置 lead1 的两步验证" in answer.get_data(as_text=True)
    assert owner.get("/staff/").status_code == 302  # its sessions ended
    assert db.scalar(select(StaffSession.ended_because).where(
        StaffSession.user_id == lead.id)) == "second-factor-reset"
    [event] = db.scalars(select(CaseEvent).where(CaseEvent.action == EventKind.SECOND_FACTOR_RESET))
    assert event.details == {"user": "lead1"} and event.actor_user_id != lead.id
    log_in(owner, "lead1")  # the password again, then enrolment
    assert owner.get("/staff/").location.endswith("/staff/second-factor")


def test_only_an_admin_resets_and_only_with_a_form_token(client, make_user):
    lead = make_user("lead1", Role.LEAD, "housing")
    make_user("l-mapu", Role.LIAISON, "mapu")
    log_in(client, "l-mapu")
    page = client.get("/staff/").get_data(as_text=True)
    assert client.post(f"/staff/users/{lead.id}/reset-second-factor",
                       data={"csrf_token": csrf_token_from(page)}).status_code == 404
    log_out(client)
    make_user("root", Role.ADMIN)
    log_in(client, "root")
    assert client.post(f"/staff/users/{lead.id}/reset-second-factor").status_code == 400


@pytest.mark.parametrize("role", [Role.LEAD, Role.COMMISSION, Role.ADMIN])
def test_who_must_have_one(client, make_user, role):
    unit = {Role.LEAD: "housing", Role.COMMISSION: "discipline-commission"}.get(role)
    make_user("someone", role, unit, second_factor=False)
    log_in(client, "someone")
    assert client.get("/staff/").location.endswith("/staff/second-factor")


def test_enter_code_is_what_a_person_does(client, make_user):
    """(The helper the other tests log in with goes through the same two steps.)"""
    make_user("lead1", Role.LEAD, "housing")
    assert enter_code(client, password_step(client), "lead1").location == "/staff/"


def test_one_code_cannot_be_won_by_two_racing_requests(app, make_user, vault):
    make_user("lead1", Role.LEAD, "housing")
    factory = app.extensions["complaints"].session_factory
    code = totp_code(app, "lead1")
    with factory() as first, factory() as second:
        # The second request loaded the account before the first used the code (and, on
        # SQLite, let go of the database so that the first can write).
        two = second.scalar(select(User).where(User.username == "lead1"))
        second.commit()
        one = first.scalar(select(User).where(User.username == "lead1"))
        won_first = second_factor.check_code(first, vault, one, code)
        first.commit()
        won_second = second_factor.check_code(second, vault, two, code)
        second.commit()
    assert (won_first, won_second) == (True, False)


def test_new_addresses_bring_no_new_code_guesses(make_app, make_user):
    site = make_app(LOGIN_LIMIT_PER_ACCOUNT="3 per hour", LOGIN_LIMIT_PER_ADDRESS="1000 per hour",
                    LOGIN_CODE_LIMIT_PER_ACCOUNT="5 per hour")
    make_user("lead1", Role.LEAD, "housing")
    right = totp_code(site, "lead1")
    wrong = next(f"{n:06d}" for n in range(10) if f"{n:06d}" != right)
    answers = []
    for n in range(4):  # the password known; the guesser moves from address to address
        client = site.test_client()
        here = {"REMOTE_ADDR": f"203.0.113.{n + 1}"}
        for _ in range(2):
            password_step(client, environ_base=here)
            answers.append(code_step(client, wrong, environ_base=here).status_code)
    assert answers.count(200) == 5 and answers[5:] == [429, 429, 429]
