"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

from complaints.app import create_app

app = create_app()
# Train the routing engine's learned fallback now (a second or two), not during the first
# resident's request that needs it.
if app.extensions["complaints"].router.learned is not None:
    app.extensions["complaints"].router.learned.warm()
