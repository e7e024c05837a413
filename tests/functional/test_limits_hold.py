"""Rate limits hold as configured (issue 15): across gunicorn's workers, across the pages that
share a budget, and whatever address a client writes into X-Forwarded-For."""

import runpy
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar

import pytest

from complaints.core.vocabulary import Channel
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import TEST_REDIS_URL, csrf_token_from, log_in
from tests.functional.conftest import ROOT, gunicorn


def conf_with(monkeypatch, **env):
    for name in ("WEB_WORKERS", "WEB_THREADS", "RATELIMIT_STORAGE_URI"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_several_workers_only_with_a_shared_count(monkeypatch):
    alone = conf_with(monkeypatch)
    assert alone["workers"] == 1 and alone["threads"] == 16  # memory: one process counts
    with pytest.raises(SystemExit, match="RATELIMIT_STORAGE_URI"):
        conf_with(monkeypatch, WEB_WORKERS="2")
    # Read as the app reads it: blank is memory, and so is MEMORY://.
    assert conf_with(monkeypatch, RATELIMIT_STORAGE_URI="  ")["workers"] == 1
    with pytest.raises(SystemExit):
        conf_with(monkeypatch, WEB_WORKERS="2", RATELIMIT_STORAGE_URI=" MEMORY://")
    shared = conf_with(monkeypatch, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
    assert shared["workers"] == 2 and shared["bind"].startswith("127.0.0.1:")


@pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set")
def test_a_login_limit_holds_across_two_gunicorn_workers(served, tmp_path):
    _base, _seed, _instance, env = served
    limited = {**env, "WEB_WORKERS": "2", "RATELIMIT_STORAGE_URI": TEST_REDIS_URL,
               "RATELIMIT_KEY_PREFIX": f"t{uuid.uuid4().hex[:8]}",
               "LOGIN_LIMIT_PER_ACCOUNT": "4 per hour", "LOGIN_LIMIT_PER_ADDRESS": "100 per hour"}
    with gunicorn(limited, tmp_path / "two-workers.log") as base:
        answers = []
        for _ in range(8):  # a new connection each time: either worker may take it
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
            page = opener.open(base + "/staff/login").read().decode()
            form = urllib.parse.urlencode({"username": "lead", "password": "not the password!",
                                           "csrf_token": csrf_token_from(page)}).encode()
            try:
                answers.append(opener.open(base + "/staff/login", data=form).status)
            except urllib.error.HTTPError as error:
                answers.append(error.code)
    assert answers == [200] * 4 + [429] * 4


def test_the_status_pages_share_one_budget(make_app, db, tools):
    app = make_app(STATUS_LIMIT_PER_ADDRESS="3 per hour", STATUS_LIMIT_PER_CASE="50 per hour")
    filed = file_complaint(db, tools, NewComplaint(Channel.WEB, "火田镇我家房子墙裂了"))
    db.commit()
    client = app.test_client()
    wrong = "000000" if filed.query_code != "000000" else "111111"
    token = csrf_token_from(client.get("/status").get_data(as_text=True))
    form = {"csrf_token": token, "tracking_number": filed.complaint.tracking_number,
            "query_code": wrong}
    assert client.post("/status", data=form).status_code == 400
    assert client.post("/status/message", data={**form, "text": "补充"}).status_code == 400
    assert client.post("/status/feedback", data={**form, "fixed": "yes"}).status_code == 400
    assert client.post("/status", data=form).status_code == 429  # one budget, not three


def test_x_forwarded_for_is_believed_only_from_the_proxy(make_app, make_user):
    """The app's port reachable directly: a client writing a new address in each request's
    X-Forwarded-For still counts as the address it connects from."""
    app = make_app(TRUSTED_PROXIES="1", LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes")
    client = app.test_client()
    direct = {"REMOTE_ADDR": "198.51.100.9"}
    for n in range(2):
        log_in(client, "x", "wrong password!", environ_base=direct,
               headers={"X-Forwarded-For": f"203.0.113.{n}"})
    assert log_in(client, "x", "wrong password!", environ_base=direct,
                  headers={"X-Forwarded-For": "203.0.113.99"}).status_code == 429


def test_the_proxies_addresses_are_a_setting(make_app):
    from complaints.core.config import ConfigError
    with pytest.raises(ConfigError, match="TRUSTED_PROXY_ADDRESSES"):
        make_app(TRUSTED_PROXIES="1", TRUSTED_PROXY_ADDRESSES="the proxy")
