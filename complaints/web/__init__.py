"""The web layer: ``boundary`` (one transaction per request), ``limits`` (rate limits where a
stranger can knock), ``security`` (CSRF, staff logins, headers), ``errors`` (Chinese error
pages, the API's error format) and ``templating``; and thin blueprints over the domain:
``public/`` for residents, ``staff/`` and ``auth/`` for staff, ``twilio/`` for webhooks,
``open311/`` for other systems."""
