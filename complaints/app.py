"""The top of the dependency order: ``create_app`` puts the configured components, the web
blueprints and the CLI together. ``flask --app complaints.app`` runs its CLI; ``wsgi.py`` serves it.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import Flask, request
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

from complaints.cli import register_cli
from complaints.components import Components, build_components
from complaints.core.config import PROJECT_ROOT, load_settings
from complaints.core.logs import configure_logging
from complaints.intake.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from complaints.web import boundary, errors, limits, security, templating
from complaints.web.auth.views import bp as auth_bp
from complaints.web.open311.views import bp as open311_bp
from complaints.web.public.views import bp as public_bp
from complaints.web.staff.calls import bp as calls_bp
from complaints.web.staff.campaign import bp as campaign_bp
from complaints.web.staff.clues import bp as clues_bp
from complaints.web.staff.helper import bp as helper_bp
from complaints.web.staff.households import bp as households_bp
from complaints.web.staff.roster import bp as roster_bp
from complaints.web.staff.views import bp as staff_bp
from complaints.web.twilio.views import bp as telephony_bp

# Five phone photos at the per-photo limit, plus the form: anything larger is refused with a page.
MAX_REQUEST_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024


class FromTrustedProxies:
    """``X-Forwarded-For`` and its kin are believed only from the proxies' own addresses: with
    the app's port also reachable directly, a client could otherwise name any address it
    likes and step round every per-address limit."""

    def __init__(self, wsgi_app: WSGIApplication, count: int,
                 networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> None:
        self.direct = wsgi_app
        self.proxied = ProxyFix(wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)
        self.networks = networks

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            peer = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            return self.direct(environ, start_response)
        if any(peer in network for network in self.networks):
            return self.proxied(environ, start_response)
        return self.direct(environ, start_response)


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    settings = load_settings(config)
    components = build_components(settings)
    try:
        components.check_encryption_key()
    except (OperationalError, InterfaceError):
        # A worker restarted while the database is down must still start and answer (503s,
        # the SMS spool); the key is checked on the first request that reaches the database.
        logging.getLogger(__name__).warning("database unreachable at start: key not yet checked")
    except Exception:
        components.engine.dispose()
        raise

    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    configure_logging(settings.log_level)
    app.debug = settings.debug
    app.testing = settings.testing
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        REMEMBER_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        RATELIMIT_KEY_PREFIX=settings.ratelimit_key_prefix,
        # If Redis goes away, keep limiting in this process rather than fail requests.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    app.extensions["complaints"] = components

    @app.before_request
    def check_the_key_once() -> None:
        if not components.key_checked and request.endpoint not in (None, "static", "public.health"):
            components.check_encryption_key()  # unreachable still: the outage's 503
    if settings.trusted_proxies:
        app.wsgi_app = FromTrustedProxies(  # type: ignore[method-assign]
            app.wsgi_app, settings.trusted_proxies, settings.trusted_proxy_networks)


    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(calls_bp)
    app.register_blueprint(clues_bp)
    app.register_blueprint(roster_bp)
    app.register_blueprint(households_bp)
    app.register_blueprint(helper_bp)
    app.register_blueprint(campaign_bp)
    app.register_blueprint(telephony_bp)
    app.register_blueprint(open311_bp)
    # The transaction wraps each view first, so the rate limits run outside it.
    boundary.init_app(app)
    errors.init_before_limits(app)
    limiter = limits.init_app(app)
    security.init_app(app)
    errors.init_app(app, limiter)
    templating.init_app(app)
    register_cli(app)
    return app


__all__ = ["create_app", "Components"]
