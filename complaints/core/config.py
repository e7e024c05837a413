"""The one place where settings are read.

Every setting comes from the environment (or, in tests, from the dict given to
``create_app``). Nothing else in the project reads ``os.environ``. Bad values
stop the app at start-up with a message that names the setting, because a
service that starts half-configured loses complaints later.

For the embedded default (``make run``), ``python -m complaints.cli.instance``
writes a secret key and an encryption key into ``instance/``
with mode 600; they are read from there when the environment gives none.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_ROOT = Path(__file__).resolve().parents[2]

SECRET_KEY_FILE = "secret_key"
ENCRYPTION_KEY_FILE = "encryption_key"

# Every name a deployment may set. A key given to create_app() that is not here
# is refused: a misspelt setting must not be silently ignored.
KNOWN_SETTINGS = {
    "DATABASE_URL": "SQLAlchemy URL; default: SQLite file instance/complaints.db",
    "SECRET_KEY": "signs sessions and CSRF tokens; required outside debug/testing",
    "ENCRYPTION_KEY": "urlsafe base64 of 32 random bytes; encrypts reporter identities",
    "RATELIMIT_STORAGE_URI": "memory:// (default) or redis://host:port/db",
    "RATELIMIT_KEY_PREFIX": "prefix for rate-limit keys in shared storage",
    "LOGIN_LIMIT_PER_ACCOUNT": "failed staff logins allowed per account from one client address",
    "LOGIN_LIMIT_PER_ADDRESS": "failed staff logins allowed per client address",
    "LOGIN_CODE_LIMIT_PER_ACCOUNT": "wrong second-factor codes per account, from all addresses "
                                    "together (whoever tries them has the password)",
    "REPORT_LIMIT_PER_ADDRESS": "complaints a client address may submit through the web form",
    "CAPTCHA_LIMIT_PER_ADDRESS": "captcha pictures and recordings per client address",
    "STATUS_LIMIT_PER_ADDRESS": "wrong query codes allowed per client address",
    "STATUS_LIMIT_PER_CASE": "wrong query codes allowed per tracking number, for browsers that "
                             "have not opened it before",
    "OPEN311_POST_LIMIT_PER_KEY": "complaints one Open311 API key may file",
    "OPEN311_POST_LIMIT_PER_ADDRESS": "Open311 filings (good key or bad) per client address",
    "OPEN311_READ_LIMIT_PER_ADDRESS": "Open311 reads per client address",
    "OPEN311_LOOKUP_LIMIT_PER_ADDRESS": "Open311 reads by service_request_id per client address",
    "CALLER_SEARCH_LIMIT_PER_ACCOUNT": "hotline caller searches by phone number per staff account",
    "CALLER_SEARCH_LIMIT_PER_ADDRESS": "hotline caller searches by phone number per client address",
    "CAPTCHA_TEST_ANSWER": "tests and demos only: the captcha accepts these digits (refused in production)",
    "PUBLIC_BASE_URL": "the address residents and Twilio use, e.g. https://ts.example.gov.cn",
    "TRUSTED_PROXIES": "how many reverse proxies sit in front of the app (0-5)",
    "TRUSTED_PROXY_ADDRESSES": "where those proxies connect from (default 127.0.0.1,::1): "
                               "X-Forwarded-For from any other address is ignored",
    "TWILIO_ACCOUNT_SID": "Twilio account SID",
    "TWILIO_AUTH_TOKEN": "Twilio auth token (signs webhooks)",
    "TWILIO_PHONE_NUMBER": "the number outgoing SMS are sent from",
    "OUTBOX_SENDER": "log (default: record, do not send) or twilio",
    "TWILIO_API_BASE_URL": "tests only: a local server that speaks Twilio's API",
    "SMS_FOLLOW_UP_MINUTES": "an SMS this soon after the same number's last one adds to that case",
    "STAFF_IDLE_MINUTES": "a staff session unused this long ends (default 30)",
    "STAFF_SESSION_HOURS": "a staff session ends this long after login, used or not (default 10)",
    "LOG_LEVEL": "DEBUG, INFO (default), WARNING or ERROR, for the app and every command",
    "INSTANCE_PATH": "folder for the SQLite file and generated keys; default ./instance",
    "FLASK_DEBUG": "1 for the development server's debug mode",
    "TESTING": "set by the test suite only",
}

SENDERS = ("log", "twilio")
RATELIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+sentinel", "redis+cluster")
SUPPORTED_DATABASES = ("sqlite", "postgresql")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class ConfigError(RuntimeError):
    """Raised at start-up when a setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    encryption_key: bytes
    ratelimit_storage_uri: str
    ratelimit_key_prefix: str
    login_limit_per_account: str
    login_limit_per_address: str
    login_code_limit_per_account: str
    report_limit_per_address: str
    captcha_limit_per_address: str
    status_limit_per_address: str
    status_limit_per_case: str
    open311_post_limit_per_key: str
    open311_post_limit_per_address: str
    open311_read_limit_per_address: str
    open311_lookup_limit_per_address: str
    caller_search_limit_per_account: str
    caller_search_limit_per_address: str
    captcha_test_answer: str | None
    public_base_url: str
    trusted_proxies: int
    trusted_proxy_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    twilio_account_sid: str | None
    twilio_auth_token: str | None
    twilio_phone_number: str | None
    twilio_api_base_url: str | None
    sms_follow_up_minutes: int
    sms_replies_per_hour: int
    staff_idle_minutes: int
    staff_session_hours: int
    outbox_sender: str
    instance_path: Path
    log_level: str
    debug: bool
    testing: bool

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over TLS wherever the service is served over TLS, which outside
        this machine it must be; a plain-http demo on loopback still works."""
        return self.public_base_url.startswith("https://")


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _log_level(value: str) -> str:
    if value.upper() not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return value.upper()


def load_settings(
    overrides: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings from the environment, with ``overrides`` winning."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(KNOWN_SETTINGS))
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
    source: dict[str, object] = {
        name: value for name, value in (environ if environ is not None else os.environ).items()
        if name in KNOWN_SETTINGS
    }
    source.update(overrides)

    def text(name: str, default: str | None = None) -> str | None:
        value = source.get(name)
        if value is None or str(value).strip() == "":
            return default
        return str(value).strip()

    debug = _flag(text("FLASK_DEBUG"), "FLASK_DEBUG")
    testing = _flag(text("TESTING"), "TESTING")
    instance_path = _instance_path(text("INSTANCE_PATH"))

    return Settings(
        database_url=_database_url(text("DATABASE_URL"), instance_path),
        secret_key=_secret_key(text("SECRET_KEY"), instance_path, debug or testing),
        encryption_key=_encryption_key(text("ENCRYPTION_KEY"), instance_path),
        ratelimit_storage_uri=_ratelimit_uri(text("RATELIMIT_STORAGE_URI", "memory://")),
        ratelimit_key_prefix=text("RATELIMIT_KEY_PREFIX", "complaints") or "complaints",
        login_limit_per_account=_rate_limit(
            "LOGIN_LIMIT_PER_ACCOUNT",
            text("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes;10 per hour;20 per day")
        ),
        login_limit_per_address=_rate_limit(
            "LOGIN_LIMIT_PER_ADDRESS",
            text("LOGIN_LIMIT_PER_ADDRESS", "30 per 15 minutes;60 per hour;100 per day")
        ),
        login_code_limit_per_account=_rate_limit(
            "LOGIN_CODE_LIMIT_PER_ACCOUNT",
            text("LOGIN_CODE_LIMIT_PER_ACCOUNT", "10 per hour;20 per day")
        ),
        report_limit_per_address=_rate_limit(
            "REPORT_LIMIT_PER_ADDRESS", text("REPORT_LIMIT_PER_ADDRESS", "10 per hour")
        ),
        captcha_limit_per_address=_rate_limit(
            "CAPTCHA_LIMIT_PER_ADDRESS", text("CAPTCHA_LIMIT_PER_ADDRESS", "60 per hour")
        ),
        status_limit_per_address=_rate_limit(
            "STATUS_LIMIT_PER_ADDRESS", text("STATUS_LIMIT_PER_ADDRESS", "20 per hour")
        ),
        open311_post_limit_per_key=_rate_limit(
            "OPEN311_POST_LIMIT_PER_KEY",
            text("OPEN311_POST_LIMIT_PER_KEY", "600 per hour")
        ),
        open311_post_limit_per_address=_rate_limit(
            "OPEN311_POST_LIMIT_PER_ADDRESS",
            text("OPEN311_POST_LIMIT_PER_ADDRESS", "600 per hour")
        ),
        open311_read_limit_per_address=_rate_limit(
            "OPEN311_READ_LIMIT_PER_ADDRESS",
            text("OPEN311_READ_LIMIT_PER_ADDRESS", "600 per minute")
        ),
        open311_lookup_limit_per_address=_rate_limit(
            "OPEN311_LOOKUP_LIMIT_PER_ADDRESS",
            text("OPEN311_LOOKUP_LIMIT_PER_ADDRESS", "60 per minute; 600 per hour")
        ),
        # A masked number (130****1314) is 10,000 searches from the full one.
        caller_search_limit_per_account=_rate_limit(
            "CALLER_SEARCH_LIMIT_PER_ACCOUNT",
            text("CALLER_SEARCH_LIMIT_PER_ACCOUNT", "30 per hour; 200 per day")
        ),
        caller_search_limit_per_address=_rate_limit(
            "CALLER_SEARCH_LIMIT_PER_ADDRESS",
            text("CALLER_SEARCH_LIMIT_PER_ADDRESS", "60 per hour; 400 per day")
        ),
        status_limit_per_case=_rate_limit(
            "STATUS_LIMIT_PER_CASE", text("STATUS_LIMIT_PER_CASE", "10 per hour")
        ),
        log_level=_log_level(text("LOG_LEVEL", "INFO") or "INFO"),
        captcha_test_answer=_test_answer(text("CAPTCHA_TEST_ANSWER"), debug or testing),
        public_base_url=_base_url(
            text("PUBLIC_BASE_URL", "http://127.0.0.1:5000"), relaxed=debug or testing
        ),
        trusted_proxies=_proxy_count(text("TRUSTED_PROXIES", "0")),
        trusted_proxy_networks=_networks(text("TRUSTED_PROXY_ADDRESSES", "127.0.0.1,::1")),
        twilio_account_sid=text("TWILIO_ACCOUNT_SID"),
        twilio_auth_token=text("TWILIO_AUTH_TOKEN"),
        twilio_phone_number=text("TWILIO_PHONE_NUMBER"),
        twilio_api_base_url=_local_url(text("TWILIO_API_BASE_URL")),
        sms_follow_up_minutes=_minutes(text("SMS_FOLLOW_UP_MINUTES", "30")),
        sms_replies_per_hour=_whole("SMS_REPLIES_PER_HOUR", text("SMS_REPLIES_PER_HOUR", "20"), 1, 1000),
        staff_idle_minutes=_whole("STAFF_IDLE_MINUTES", text("STAFF_IDLE_MINUTES", "30"), 1, 24 * 60),
        staff_session_hours=_whole("STAFF_SESSION_HOURS", text("STAFF_SESSION_HOURS", "10"), 1, 24),
        outbox_sender=_sender(text("OUTBOX_SENDER", "log"), source),
        instance_path=instance_path,
        debug=debug,
        testing=testing,
    )


def _flag(value: str | None, name: str) -> bool:
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def _database_url(value: str | None, instance_path: Path) -> str:
    if value is None:
        return f"sqlite:///{instance_path / 'complaints.db'}"
    try:
        url = make_url(value)
    except ArgumentError as error:
        raise ConfigError(f"DATABASE_URL is not a database URL: {error}") from None
    if url.get_backend_name() not in SUPPORTED_DATABASES:
        raise ConfigError(
            f"DATABASE_URL must point at SQLite or PostgreSQL, not {url.get_backend_name()!r}"
        )
    if url.get_backend_name() == "postgresql":
        if url.get_driver_name() not in ("psycopg", "psycopg2") or "+" not in url.drivername:
            # psycopg 3 is the driver we install; a bare postgresql:// would ask for psycopg2.
            url = url.set(drivername="postgresql+psycopg")
        if not url.database:
            raise ConfigError("DATABASE_URL names no database")
    return url.render_as_string(hide_password=False)


def _secret_key(value: str | None, instance_path: Path, relaxed: bool) -> str:
    if value is None:
        value = _read_instance_file(instance_path / SECRET_KEY_FILE)
    if value is None:
        if relaxed:
            return secrets.token_urlsafe(32)
        raise ConfigError(
            "SECRET_KEY is not set. Set it in the environment, or run "
            "`python -m complaints.cli.instance` (make run does) to generate one."
        )
    if len(value) < 16:
        raise ConfigError("SECRET_KEY is too short: use at least 16 random characters")
    return value


def _encryption_key(value: str | None, instance_path: Path) -> bytes:
    if value is None:
        value = _read_instance_file(instance_path / ENCRYPTION_KEY_FILE)
    if value is None:
        raise ConfigError(
            "ENCRYPTION_KEY is not set. It encrypts reporters' identities and must stay the "
            "same for the life of the database. Set it in the environment, or run "
            "`python -m complaints.cli.instance` (make run does) to generate one."
        )
    try:
        key = base64.urlsafe_b64decode(value.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        key = b""
    if len(key) != 32:
        raise ConfigError("ENCRYPTION_KEY must be the urlsafe base64 form of exactly 32 bytes")
    return key


def _ratelimit_uri(value: str | None) -> str:
    assert value is not None
    scheme = urlsplit(value).scheme
    if scheme not in RATELIMIT_SCHEMES:
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI must start with one of {', '.join(RATELIMIT_SCHEMES)}: "
            f"{value!r}"
        )
    return value


def _rate_limit(name: str, value: str | None) -> str:
    assert value is not None
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(
            f"{name} is not a rate limit such as '10 per 15 minutes': {value!r}"
        ) from None
    return value


def _base_url(value: str | None, relaxed: bool) -> str:
    assert value is not None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"PUBLIC_BASE_URL must be an http(s) address like https://host: {value!r}")
    if parts.scheme == "http" and not relaxed and parts.hostname not in LOOPBACK_HOSTS:
        # Reporters' identities and staff sessions cross this address.
        raise ConfigError(
            f"PUBLIC_BASE_URL must be https:// unless the service only listens on this "
            f"machine: {value!r}"
        )
    return value.rstrip("/")


def _test_answer(value: str | None, relaxed: bool) -> str | None:
    if value is None:
        return None
    if not relaxed:
        raise ConfigError(
            "CAPTCHA_TEST_ANSWER turns the captcha off; it is for tests and demos only "
            "(FLASK_DEBUG=1 or TESTING=1). Remove it."
        )
    if not value.isdigit():
        raise ConfigError("CAPTCHA_TEST_ANSWER must be digits")
    return value


def _networks(value: str | None) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip()) for part in (value or "").split(",")
                     if part.strip())
    except ValueError:
        raise ConfigError("TRUSTED_PROXY_ADDRESSES: addresses or networks separated by commas, "
                          f"e.g. 127.0.0.1,10.0.0.0/8, not {value!r}") from None


def _proxy_count(value: str | None) -> int:
    assert value is not None
    if not value.isdigit() or int(value) > 5:
        raise ConfigError(f"TRUSTED_PROXIES must be a whole number from 0 to 5, not {value!r}")
    return int(value)


def _sender(value: str | None, source: dict[str, object]) -> str:
    sender = _choice("OUTBOX_SENDER", value, SENDERS)
    if sender == "twilio":
        missing = [name for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER")
                   if not str(source.get(name) or "").strip()]
        if missing:
            raise ConfigError(f"OUTBOX_SENDER=twilio needs {', '.join(missing)}")
    return sender


def _local_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS:
        raise ConfigError("TWILIO_API_BASE_URL may only point at a test server on this machine")
    return value.rstrip("/")


def _whole(name: str, value: str | None, least: int, most: int) -> int:
    if value is None or not value.isdigit() or not least <= int(value) <= most:
        raise ConfigError(f"{name} must be a whole number from {least} to {most}, not {value!r}")
    return int(value)


def _minutes(value: str | None) -> int:
    assert value is not None
    if not value.isdigit() or not 0 <= int(value) <= 24 * 60:
        raise ConfigError(f"SMS_FOLLOW_UP_MINUTES must be 0-1440, not {value!r}")
    return int(value)


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _read_instance_file(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def _instance_path(value: str | None) -> Path:
    return Path(value or Path.cwd() / "instance").resolve()


def load_instance_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the instance folder is, before the rest of the settings can be loaded."""
    environ = environ if environ is not None else os.environ
    return _instance_path(environ.get("INSTANCE_PATH", "").strip() or None)


def init_instance(instance_path: Path) -> list[Path]:
    """Create the instance folder and any missing key file (mode 600); return what was made."""
    instance_path.mkdir(parents=True, exist_ok=True)
    made = []
    for name, make in (
        (SECRET_KEY_FILE, lambda: secrets.token_urlsafe(48)),
        (ENCRYPTION_KEY_FILE, lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()),
    ):
        path = instance_path / name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(make() + "\n")
        made.append(path)
    return made
