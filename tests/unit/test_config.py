import os
import stat

import pytest

from complaints.core.config import ConfigError, init_instance, load_settings
from tests.conftest import new_encryption_key


def settings(tmp_path, **values):
    base = {"INSTANCE_PATH": str(tmp_path), "ENCRYPTION_KEY": new_encryption_key()}
    base.update(values)
    return load_settings(base, environ={})


def test_defaults_are_the_embedded_setup(tmp_path):
    loaded = settings(tmp_path, SECRET_KEY="x" * 32)
    assert loaded.database_url == f"sqlite:///{tmp_path / 'complaints.db'}"
    assert loaded.ratelimit_storage_uri == "memory://"
    assert loaded.trusted_proxies == 0
    assert loaded.outbox_sender == "log"


def test_refuses_to_start_without_secret_key_outside_debug(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        settings(tmp_path)


@pytest.mark.parametrize("mode", ["TESTING", "FLASK_DEBUG"])
def test_debug_and_testing_make_do_without_secret_key(tmp_path, mode):
    assert len(settings(tmp_path, **{mode: "1"}).secret_key) >= 32


def test_encryption_key_is_always_required(tmp_path):
    with pytest.raises(ConfigError, match="ENCRYPTION_KEY is not set"):
        load_settings({"INSTANCE_PATH": str(tmp_path), "TESTING": "1"}, environ={})


def test_init_instance_writes_private_keys_that_settings_then_read(tmp_path):
    made = init_instance(tmp_path)
    assert {path.name for path in made} == {"secret_key", "encryption_key"}
    for path in made:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    loaded = load_settings({"INSTANCE_PATH": str(tmp_path)}, environ={})
    assert loaded.secret_key == (tmp_path / "secret_key").read_text().strip()
    assert len(loaded.encryption_key) == 32
    # A second run keeps the keys: regenerating would make stored identities unreadable.
    before = (tmp_path / "encryption_key").read_text()
    assert init_instance(tmp_path) == []
    assert (tmp_path / "encryption_key").read_text() == before


def test_environment_wins_over_instance_files(tmp_path):
    init_instance(tmp_path)
    loaded = load_settings({"INSTANCE_PATH": str(tmp_path)}, environ={"SECRET_KEY": "s" * 40})
    assert loaded.secret_key == "s" * 40


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "not a url at all", "DATABASE_URL"),
        ("DATABASE_URL", "mysql://root@localhost/test", "SQLite or PostgreSQL"),
        ("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432", "names no database"),
        ("RATELIMIT_STORAGE_URI", "memcache//oops", "RATELIMIT_STORAGE_URI"),
        ("TRUSTED_PROXIES", "two", "TRUSTED_PROXIES"),
        ("TRUSTED_PROXIES", "9", "TRUSTED_PROXIES"),
        ("ENCRYPTION_KEY", "too-short", "ENCRYPTION_KEY"),
        ("PUBLIC_BASE_URL", "ftp://example.org", "PUBLIC_BASE_URL"),
        ("PUBLIC_BASE_URL", "http://ts.example.cn", "must be https"),
        ("LOGIN_LIMIT_PER_ACCOUNT", "lots", "LOGIN_LIMIT_PER_ACCOUNT"),
        ("OUTBOX_SENDER", "carrier-pigeon", "OUTBOX_SENDER"),
        ("FLASK_DEBUG", "maybe", "FLASK_DEBUG"),
        ("SECRET_KEY", "short", "SECRET_KEY"),
    ],
)
def test_malformed_settings_are_refused_by_name(tmp_path, name, value, message):
    with pytest.raises(ConfigError, match=message):
        settings(tmp_path, **{"SECRET_KEY": "x" * 32, name: value})


def test_unknown_setting_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="DATABSE_URL"):
        settings(tmp_path, SECRET_KEY="x" * 32, DATABSE_URL="sqlite://")


def test_bare_postgresql_url_uses_the_installed_driver(tmp_path):
    loaded = settings(tmp_path, SECRET_KEY="x" * 32,
                      DATABASE_URL="postgresql://postgres@127.0.0.1:5432/test")
    assert loaded.database_url.startswith("postgresql+psycopg://")


def test_public_base_url_loses_its_trailing_slash(tmp_path):
    loaded = settings(tmp_path, SECRET_KEY="x" * 32, PUBLIC_BASE_URL="https://ts.example.cn/")
    assert loaded.public_base_url == "https://ts.example.cn"


def test_plain_http_is_for_loopback_only(tmp_path):
    local = settings(tmp_path, SECRET_KEY="x" * 32, PUBLIC_BASE_URL="http://localhost:5000")
    assert not local.secure_cookies
    public = settings(tmp_path, SECRET_KEY="x" * 32, PUBLIC_BASE_URL="https://ts.example.cn")
    assert public.secure_cookies


def test_captcha_test_answer_is_refused_in_production(tmp_path):
    with pytest.raises(ConfigError, match="CAPTCHA_TEST_ANSWER"):
        settings(tmp_path, SECRET_KEY="x" * 32, CAPTCHA_TEST_ANSWER="1234")
    assert settings(tmp_path, TESTING="1", CAPTCHA_TEST_ANSWER="1234").captcha_test_answer == "1234"
