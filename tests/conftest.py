"""Shared fixtures.

Storage tests run once per database: SQLite always, PostgreSQL when
``TEST_DATABASE_URL`` names one (``.ci/run`` does). The schema is built by the
migrations, never by ``create_all``. Each test gets a clean database: a fresh
copy of a migrated SQLite file, or truncated PostgreSQL tables.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from complaints.accounts import create_user, use_cheap_hashing
from complaints.app import create_app
from complaints.cases import policy
from complaints.cases.audit import CHAINS, GENESIS
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.tallies import recount, unit_tallies
from complaints.cases.units import sync_units
from complaints.core.clock import now_utc
from complaints.core.vocabulary import Role
from complaints.db import migrate
from complaints.db.base import make_engine
from complaints.db.models import User
from complaints.intake import captcha
from complaints.routing.table import load_routing_table

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
PASSWORD = "correct horse battery"


def pytest_configure(config: pytest.Config) -> None:
    # Production-cost argon2 made a third of the suite's time; what is tested is the flow.
    use_cheap_hashing()


def captcha_digits(client: FlaskClient) -> str | None:
    """The digits of the picture ``client``'s browser was shown: sealed in its session, as the
    resident's eyes read them off the picture."""
    with client.session_transaction() as browser_session:
        sealed = browser_session.get("captcha")
    return captcha.current_digits(client.application.extensions["complaints"].vault, sealed)


def new_encryption_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    url = f"sqlite:///{path}"
    # The migration's engine is disposed; closing SQLite's last connection
    # folds the WAL into the file, so the file alone is a complete copy.
    migrate.upgrade(url)
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    assert TEST_DATABASE_URL
    engine = make_engine(TEST_DATABASE_URL)
    with engine.begin() as connection:
        # The test database belongs to the tests: start from an empty schema.
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    migrate.upgrade(TEST_DATABASE_URL)
    return TEST_DATABASE_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "complaints.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL run skipped")
    url = request.getfixturevalue("postgres_migrated")
    engine = make_engine(url)
    with engine.begin() as connection:
        # The schema may have been downgraded and rebuilt by a migration test.
        migrate_needed = not connection.execute(
            text("SELECT to_regclass('public.complaints')")
        ).scalar()
    if migrate_needed:
        migrate.upgrade(url)
    with engine.begin() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                 "AND tablename <> 'alembic_version'")
        ).scalars().all()
        if tables:
            connection.execute(
                text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            )
            # As the migrations leave a new database: every chain's head, empty.
            connection.execute(text("INSERT INTO audit_head (id, seq, hash, keyed_from_seq) "
                                    "VALUES (:id, 0, :genesis, 1)"),
                               [{"id": chain + 1, "genesis": GENESIS} for chain in range(CHAINS)])
        # A tampering test may have lifted the append-only guard; put it back.
        connection.execute(text("ALTER TABLE case_events ENABLE TRIGGER ALL"))
    engine.dispose()
    return url


def app_config(database_url: str, tmp_path: Path, **overrides: object) -> dict[str, object]:
    config: dict[str, object] = {
        "TESTING": "1",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ENCRYPTION_KEY": new_encryption_key(),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    config.update(overrides)
    return config


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build an app on this test's database; keyword arguments override settings."""
    apps: list[Flask] = []
    # One database, one key: every app of this test must be able to read the others' data.
    shared = {"ENCRYPTION_KEY": new_encryption_key(), "SECRET_KEY": secrets.token_urlsafe(32)}

    def build(**overrides: object) -> Flask:
        app = create_app(app_config(database_url, tmp_path, **{**shared, **overrides}))
        components = app.extensions["complaints"]
        with components.session_factory() as session:
            sync_units(session, load_routing_table().units)
            session.commit()
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.extensions["complaints"].engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """The test's own session. On SQLite it starts transactions DEFERRED, so a test
    that has only read does not hold the write lock the app under test needs."""
    engine = make_engine(app.extensions["complaints"].settings.database_url,
                         sqlite_begin="DEFERRED")
    with Session(engine, expire_on_commit=False,
                 info=app.extensions["complaints"].session_factory.kw["info"]) as session:
        yield session
        # Whatever the test did through the app, the board's tallies kept up with it.
        session.rollback()
        assert unit_tallies(session) == recount(session), "the tallies drifted from the cases"
    engine.dispose()


@pytest.fixture
def vault(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["complaints"].vault


@pytest.fixture
def make_user(db: Session, app: Flask) -> Callable[..., User]:
    """An account; those that must have a second factor (the lead unit, the commission, admins)
    have one already, unless ``second_factor=False`` (``log_in`` enters its codes)."""
    def build(username: str, role: Role, unit: str | None = None, *,
              second_factor: bool | None = None) -> User:
        user = create_user(db, username, role, PASSWORD, unit_slug=unit)
        if policy.needs_second_factor(user) if second_factor is None else second_factor:
            db.flush()
            user.totp_secret_sealed = app.extensions["complaints"].vault.seal(
                pyotp.random_base32(), "totp-secret", f"user/{user.id}")
            user.totp_confirmed_at = now_utc()
        db.commit()
        return user

    return build


@pytest.fixture
def act(db: Session, tools: Any) -> Callable[..., Any]:
    """Perform an action on a case as ``user`` (or as ``who`` says) and commit, as a request does."""
    def do(complaint: Any, action: Any, user: User | None = None, *,
           who: frozenset[Any] | None = None, **fields: Any) -> Any:
        relations = who or policy.relations(user, complaint)
        event = perform(db, tools, complaint, ActionRequest(action, **fields), relations, user)
        db.commit()
        return event
    return do


def totp_code(app: Flask, username: str, *, fresh: bool = True) -> str:
    """The account's current code, as its phone would show it. ``fresh`` forgets the last code
    used, as if the next step had come (tests log in more often than every 30 s)."""
    parts = app.extensions["complaints"]
    with parts.session_factory() as session:
        user = session.query(User).filter_by(username=username).one()
        if fresh:
            user.totp_last_step = None
            session.commit()
        secret = parts.vault.open(user.totp_secret_sealed, "totp-secret", f"user/{user.id}")
    return pyotp.TOTP(secret).at(now_utc())


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "page has no CSRF token"
    return match.group(1)


def log_in(client: FlaskClient, username: str, password: str = PASSWORD, **kwargs: object):  # type: ignore[no-untyped-def]
    """The login form, and the code from the account's phone when it asks for one."""
    page = client.get("/staff/login", **kwargs)
    answer = client.post(
        "/staff/login",
        data={"username": username, "password": password,
              "csrf_token": csrf_token_from(page.get_data(as_text=True))},
        **kwargs,
    )
    return enter_code(client, answer, username, **kwargs)


def enter_code(client: FlaskClient, answer: Any, username: str, **kwargs: object) -> Any:
    """After a right password: the second step, when the login asks for it."""
    if answer.status_code != 302 or "/staff/login/code" not in answer.location:
        return answer
    page = client.get(answer.location, **kwargs)
    assert client.application is not None
    return client.post(answer.location, data={
        "code": totp_code(client.application, username.strip().lower()),
        "csrf_token": csrf_token_from(page.get_data(as_text=True))}, **kwargs)


@pytest.fixture
def router(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["complaints"].router


@pytest.fixture
def tools(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["complaints"].tools


@pytest.fixture
def serve() -> Iterator[Callable[[Flask], str]]:
    """Serve an app over real HTTP on a free loopback port; returns its base URL."""
    servers: list[tuple[Any, threading.Thread]] = []

    def start(app: Flask) -> str:
        http = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=http.serve_forever, daemon=True)
        thread.start()
        servers.append((http, thread))
        return f"http://127.0.0.1:{http.server_port}"

    yield start
    for http, thread in servers:
        http.shutdown()
        thread.join()
