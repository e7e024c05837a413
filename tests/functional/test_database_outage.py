"""The database goes away under the app: answers are 503 with Retry-After, in Chinese for
people and in the API's format for machines, never 500; /healthz says what is down; and the
app answers again on its own when the database is back.

The outage is real: the app reaches PostgreSQL through a loopback TCP relay that the test cuts
and restores (the shared PostgreSQL server itself stays up for the other tests). SQLite, being
a file, has no such outage."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from complaints.app import create_app
from complaints.db.models import Complaint, OutboxMessage
from tests.conftest import app_config
from tests.functional.test_public_intake import form_fields
from tests.relay import Relay

TOKEN = "twilio-test-auth-token-0123456789"
PUBLIC = "https://ts.yunxiao.example.cn"


@pytest.fixture
def relayed(database_url, make_app):
    if not database_url.startswith("postgresql"):
        pytest.skip("an outage of the database server: PostgreSQL only")
    parts = urlsplit(database_url)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 5432))
    netloc = parts.netloc.rsplit(":", 1)[0] if parts.port else parts.netloc
    url = urlunsplit(parts._replace(netloc=f"{netloc}:{relay.port}"))
    app = make_app(DATABASE_URL=url, TWILIO_AUTH_TOKEN=TOKEN, TWILIO_ACCOUNT_SID="AC" + "0" * 32,
                   TWILIO_PHONE_NUMBER="+865968525603", PUBLIC_BASE_URL=PUBLIC)
    yield app, relay
    relay.cut()


def test_an_outage_is_a_503_with_retry_after_and_the_app_recovers(relayed):
    app, relay = relayed
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}

    relay.cut()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unreachable"
    form = client.get("/report")  # showing the form writes nothing: it can be filled in meanwhile
    assert form.status_code == 200
    page = client.post("/report", data={**form_fields(form.get_data(as_text=True)), "township": "mapu",
                                        "description": "屋顶漏雨", "captcha": "0000"})
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "还没有保存" in page.get_data(as_text=True)
    api = client.get("/open311/v2/requests.json")
    # (The API's rate-limit headers may set their own Retry-After: any wait is fine there.)
    assert api.status_code == 503 and int(api.headers["Retry-After"]) > 0
    assert api.get_json()[0]["code"] == 503

    relay.restore()
    assert client.get("/healthz").status_code == 200  # the pool reconnects on its own
    assert client.get("/report").status_code == 200


def signed_sms(client, sid, body, sender="+8613055441314"):
    params = {"MessageSid": sid, "From": sender, "To": "+865968525603", "Body": body,
              "NumMedia": "0"}
    signature = RequestValidator(TOKEN).compute_signature(f"{PUBLIC}/twilio/sms", params)
    return client.post("/twilio/sms", data=params, headers={"X-Twilio-Signature": signature})


def test_an_sms_sent_during_an_outage_is_answered_kept_and_filed_once_when_it_is_back(relayed, db):
    app, relay = relayed
    parts = app.extensions["complaints"]
    client = app.test_client()
    relay.cut()
    answered = signed_sms(client, "SM" + "7" * 32, "火田镇菜埔村我家土坯房墙裂了，怕倒")
    assert answered.status_code == 200 and "编号稍后短信告知" in answered.get_data(as_text=True)
    assert len(parts.spool.pending()) == 1
    # Still down: draining keeps it.
    assert parts.drain_spool() == 0 and len(parts.spool.pending()) == 1
    # A forged request is refused before anything is kept, outage or not.
    forged = client.post("/twilio/sms", data={"MessageSid": "SM" + "8" * 32, "Body": "x"},
                         headers={"X-Twilio-Signature": "nope"})
    assert forged.status_code == 403 and len(parts.spool.pending()) == 1

    relay.restore()
    assert parts.drain_spool() == 1 and parts.spool.pending() == []
    assert parts.act_on_inbound_sms() == 1  # the worker's next step
    db.rollback()
    filed = db.scalars(select(Complaint)).all()
    assert len(filed) == 1 and "土坯房墙裂了" in filed[0].description
    # The receipt, with the number, now goes by SMS.
    bodies = [parts.vault.open(m.body_sealed, "outbox-body") for m in db.scalars(select(OutboxMessage))]
    assert any(filed[0].tracking_number in body for body in bodies)
    # Twilio's own retry of the same message, and a second drain, file nothing new.
    signed_sms(client, "SM" + "7" * 32, "火田镇菜埔村我家土坯房墙裂了，怕倒")
    assert parts.drain_spool() == 0 and parts.act_on_inbound_sms() == 0
    db.rollback()
    assert len(db.scalars(select(Complaint)).all()) == 1


def test_a_worker_starts_while_the_database_is_down(database_url, tmp_path):
    """gunicorn restarts a killed worker at any moment: if it could not start during an outage,
    gunicorn would stop altogether. It starts, answers 503, and checks its key when it can."""
    if not database_url.startswith("postgresql"):
        pytest.skip("an outage of the database server: PostgreSQL only")
    parts = urlsplit(database_url)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 5432))
    relay.cut()
    try:
        netloc = parts.netloc.rsplit(":", 1)[0] if parts.port else parts.netloc
        app = create_app(app_config(urlunsplit(parts._replace(netloc=f"{netloc}:{relay.port}")),
                                    tmp_path))
        client = app.test_client()
        assert client.get("/report").status_code == 503
        assert not app.extensions["complaints"].key_checked
        relay.restore()
        assert client.get("/report").status_code == 200
        assert app.extensions["complaints"].key_checked
    finally:
        relay.cut()
        app.extensions["complaints"].engine.dispose()
