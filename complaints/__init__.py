"""Yunxiao County's housing-safety complaint and whistleblowing service.

``create_app`` builds the Flask app; ``flask --app complaints`` runs its CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from complaints.config import PROJECT_ROOT, load_settings
from complaints.intake.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from complaints.services import Services, build_services

# Five phone photos at the per-photo limit, plus the form: anything larger is refused with a page.
MAX_REQUEST_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    settings = load_settings(config)
    services = build_services(settings)
    try:
        services.check_encryption_key()
    except Exception:
        services.engine.dispose()
        raise

    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
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
    app.extensions["complaints"] = services
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]

    from complaints import web
    from complaints.auth.views import bp as auth_bp
    from complaints.cli import register_cli
    from complaints.open311.views import bp as open311_bp
    from complaints.public.views import bp as public_bp
    from complaints.staff.calls import bp as calls_bp
    from complaints.staff.views import bp as staff_bp
    from complaints.telephony.views import bp as telephony_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(calls_bp)
    app.register_blueprint(telephony_bp)
    app.register_blueprint(open311_bp)
    web.init_app(app)
    register_cli(app)
    return app


__all__ = ["create_app", "Services"]
