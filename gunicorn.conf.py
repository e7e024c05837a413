"""gunicorn's settings for `make run` and for production (`gunicorn -c gunicorn.conf.py wsgi:app`).

Residents send photos over rural links: a 4 MB photo at 400 kbit/s takes about 90 seconds to
arrive. A sync worker is held for all of it and is killed at its timeout with the body half read,
so the workers are threaded: a thread waits for a slow body while the others answer, and the
timeout watches the worker's heartbeat, not the length of a request. Behind nginx the body is
buffered before it reaches gunicorn at all (README, "Production").
"""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "8"))
timeout = 60
graceful_timeout = 30
keepalive = 5
accesslog = "-"
