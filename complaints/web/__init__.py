"""The web boundary: one transaction per request, rate limits, error pages and template
helpers (``boundary.py``), and thin blueprints over the domain: ``public/`` for residents,
``staff/`` and ``auth/`` for staff, ``twilio/`` for webhooks, ``open311/`` for other systems."""
