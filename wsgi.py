"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

from complaints.app import create_app

app = create_app()
app.extensions["complaints"].router.warm()
