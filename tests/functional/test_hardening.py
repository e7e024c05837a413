"""Small holes an attacker would try first (issue 15, "Small"): each is closed."""

import os
import re

import pytest
from sqlalchemy import func, select

from complaints.core.vocabulary import Role
from complaints.db.models import InboundSms, SpentCaptcha
from tests.conftest import captcha_digits, log_in


def test_a_report_for_a_year_without_days_is_a_404_not_a_500(make_app, make_user):
    client = make_app().test_client()
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    for asked in ("quarterly.xlsx?quarter=0000Q1", "quarterly.pdf?quarter=9999Q4",
                  "monthly.xlsx?month=0000-01", "monthly.xlsx?month=9999-12"):
        assert client.get(f"/staff/reports/{asked}").status_code == 404, asked


def test_pages_cannot_be_framed_and_https_is_remembered(make_app):
    plain = make_app().test_client().get("/")
    assert plain.headers["X-Frame-Options"] == "DENY" and "Strict-Transport-Security" not in plain.headers
    secure = make_app(PUBLIC_BASE_URL="https://ts.yunxiao.example.cn").test_client().get(
        "/", base_url="https://ts.yunxiao.example.cn")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_huge_unsigned_twilio_body_is_refused_before_it_is_read(make_app, db):
    client = make_app(TWILIO_AUTH_TOKEN="twilio-test-auth-token-0123456789").test_client()
    body = b"Body=" + b"x" * (30 * 1024 * 1024)
    response = client.post("/twilio/sms", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert db.scalar(select(func.count()).select_from(InboundSms)) == 0


def test_reloading_the_form_keeps_its_picture_writes_nothing_and_scripts_are_limited(make_app, db):
    app = make_app(CAPTCHA_LIMIT_PER_ADDRESS="3 per hour")
    browser = app.test_client()
    pictures = set()
    for _ in range(5):  # a resident reloading: the same picture, nothing stored
        assert browser.get("/report").status_code == 200
        pictures.add(captcha_digits(browser))
    assert len(pictures) == 1 and None not in pictures
    db.rollback()
    assert db.scalar(select(func.count()).select_from(SpentCaptcha)) == 0
    answers = [app.test_client().get("/report").status_code for _ in range(4)]  # no cookies kept
    assert answers == [200, 200, 429, 429]  # (the browser's first form counted too)


def test_the_sqlite_file_is_readable_by_its_owner_only(make_app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("a file of SQLite's")
    make_app()
    path = re.sub(r"^sqlite:/+", "/", database_url)
    assert os.stat(path).st_mode & 0o777 == 0o600
