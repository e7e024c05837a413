"""Staff login: it works, fails clearly in Chinese, and resists guessing."""

import pytest

from complaints.core.vocabulary import Role
from tests.conftest import TEST_REDIS_URL, csrf_token_from, enter_code, log_in


@pytest.fixture
def lead(make_user):
    return make_user("lead1", Role.LEAD, "housing")


@pytest.mark.parametrize(
    ("role", "unit"),
    [(Role.LEAD, "housing"), (Role.LIAISON, "huotian"), (Role.OPERATOR, None),
     (Role.COMMISSION, "discipline-commission"), (Role.ADMIN, None)],
)
def test_each_role_logs_in_and_out(client, make_user, role, unit):
    make_user("someone", role, unit)
    response = log_in(client, "someone")
    assert response.status_code == 302 and response.location.endswith("/staff/")
    page = client.get("/staff/").get_data(as_text=True)
    assert "工作台" in page
    token = csrf_token_from(page)
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/staff/").status_code == 302  # back to the login page


def test_username_is_not_case_sensitive(client, lead):
    assert log_in(client, "  LEAD1 ").status_code == 302


def test_wrong_password_says_so_in_chinese(client, lead):
    response = log_in(client, "lead1", "not the password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_unknown_user_gets_the_same_answer(client, lead):
    response = log_in(client, "nobody", "not the password")
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_deactivated_account_cannot_log_in(client, make_user, db):
    user = make_user("gone", Role.OPERATOR)
    user.is_active = False
    db.commit()
    assert "用户名或密码错误" in log_in(client, "gone").get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, lead):
    response = client.post("/staff/login", data={"username": "lead1", "password": "x" * 20})
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)


def test_logout_needs_a_post_with_csrf(client, lead):
    log_in(client, "lead1")
    assert client.get("/staff/logout").status_code == 405
    assert client.post("/staff/logout").status_code == 400
    assert client.get("/staff/").status_code == 200  # still logged in


def test_pages_need_login_and_come_back_after_it(client, lead):
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.location
    page = client.get(response.location)
    response = client.post(
        response.location,
        data={"username": "lead1", "password": "correct horse battery",
              "csrf_token": csrf_token_from(page.get_data(as_text=True))},
    )
    assert enter_code(client, response, "lead1").location == "/staff/"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "javascript:x",
                                    "/\\evil.example/", "/\tevil"])
def test_login_never_redirects_off_site(client, lead, target):
    page = client.get("/staff/login")
    response = client.post(
        "/staff/login", query_string={"next": target},
        data={"username": "lead1", "password": "correct horse battery",
              "csrf_token": csrf_token_from(page.get_data(as_text=True))},
    )
    assert enter_code(client, response, "lead1").location == "/staff/"


def test_session_cookie_is_httponly_lax_and_secure_when_served_over_https(make_app, make_user):
    app = make_app(TESTING="0", PUBLIC_BASE_URL="https://ts.yunxiao.example.cn")
    make_user("lead2", Role.LEAD, "housing")
    client = app.test_client()
    response = log_in(client, "lead2", base_url="https://localhost")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("staff_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert "Path=/staff" in cookie and "Expires" not in cookie  # the server ends it, not the date


def rate_limit_backends():
    yield "memory://"
    if TEST_REDIS_URL:
        yield TEST_REDIS_URL
    else:
        yield pytest.param(None, marks=pytest.mark.skip(reason="TEST_REDIS_URL is not set"))


@pytest.mark.parametrize("storage", list(rate_limit_backends()))
def test_a_guesser_is_slowed_and_the_owner_is_not_locked_out(make_app, make_user, storage):
    app = make_app(RATELIMIT_STORAGE_URI=storage, LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes",
                   LOGIN_LIMIT_PER_ADDRESS="100 per 15 minutes")
    make_user("lead3", Role.LEAD, "housing")
    guesser, owner = app.test_client(), app.test_client()
    stranger = {"REMOTE_ADDR": "203.0.113.5"}
    for _ in range(3):
        assert log_in(guesser, "lead3", "wrong password!", environ_base=stranger).status_code == 200
    response = log_in(guesser, "lead3", "still guessing", environ_base=stranger)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "操作太频繁" in page and "分钟后再试" in page
    # Even the right password waits, from the guesser's address: guessing stays slow.
    assert log_in(guesser, "lead3", environ_base=stranger).status_code == 429
    # The owner, at the office, logs in as usual.
    assert log_in(owner, "lead3", environ_base={"REMOTE_ADDR": "10.0.0.99"}).status_code == 302


@pytest.mark.parametrize("storage", list(rate_limit_backends()))
def test_failed_logins_are_limited_per_address_across_accounts(make_app, make_user, storage):
    app = make_app(RATELIMIT_STORAGE_URI=storage, LOGIN_LIMIT_PER_ACCOUNT="100 per 15 minutes",
                   LOGIN_LIMIT_PER_ADDRESS="4 per 15 minutes")
    make_user("lead5", Role.LEAD, "housing")
    client = app.test_client()
    here = {"REMOTE_ADDR": "192.0.2.7"}
    for name in ("a1", "a2", "a3", "a4"):
        assert log_in(client, name, "wrong password!", environ_base=here).status_code == 200
    assert log_in(client, "lead5", environ_base=here).status_code == 429
    assert log_in(client, "lead5", environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 302


def test_successful_logins_do_not_use_up_the_limit(make_app, make_user):
    app = make_app(LOGIN_LIMIT_PER_ACCOUNT="2 per 15 minutes")
    make_user("busy", Role.OPERATOR)
    client = app.test_client()
    for _ in range(5):
        assert log_in(client, "busy").status_code == 302
        page = client.get("/staff/").get_data(as_text=True)
        client.post("/staff/logout", data={"csrf_token": csrf_token_from(page)})


def test_rate_limits_fall_back_to_memory_when_redis_is_down(make_app, make_user):
    app = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
                   LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes")
    make_user("lead6", Role.LEAD, "housing")
    client = app.test_client()
    assert log_in(client, "lead6").status_code == 302  # Redis being down breaks nothing
    token = csrf_token_from(client.get("/staff/").get_data(as_text=True))
    client.post("/staff/logout", data={"csrf_token": token})
    for _ in range(2):
        assert log_in(client, "x", "wrong password!").status_code == 200
    assert log_in(client, "lead6").status_code == 429  # and limits still hold


def test_trusted_proxy_address_is_the_client_for_rate_limits(make_app, make_user):
    app = make_app(TRUSTED_PROXIES="1", LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes")
    make_user("lead7", Role.LEAD, "housing")
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(2):
        log_in(client, "x", "wrong password!", environ_base=proxy,
               headers={"X-Forwarded-For": "203.0.113.5"})
    assert log_in(client, "lead7", environ_base=proxy,
                  headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    # A different resident behind the same proxy is a different client.
    assert log_in(client, "lead7", environ_base=proxy,
                  headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 302
