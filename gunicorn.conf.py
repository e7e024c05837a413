"""gunicorn's settings for `make run` and for production (`gunicorn -c gunicorn.conf.py wsgi:app`).

Residents send photos over rural links: a 4 MB photo at 400 kbit/s takes about 90 seconds to
arrive. A sync worker is held for all of it and is killed at its timeout with the body half read,
so the workers are threaded: a thread waits for a slow body while the others answer, and the
timeout watches the worker's heartbeat, not the length of a request. Behind nginx the body is
buffered before it reaches gunicorn at all (README, "Production").

Rate limits count in RATELIMIT_STORAGE_URI. In memory (the default) each worker process would
count alone, and a limit of 10 would allow 10 per worker: so with memory there is one worker
(its threads share the count), and several workers only with a shared store (Redis).

It listens on loopback only: the proxy in front reaches it, nobody else does (and
X-Forwarded-For is believed only from TRUSTED_PROXY_ADDRESSES in any case).
"""

import os
from urllib.parse import urlsplit

# Read as the app reads it (complaints.core.config): stripped, empty is memory.
_limits_uri = os.environ.get("RATELIMIT_STORAGE_URI", "").strip() or "memory://"
_limits_shared = urlsplit(_limits_uri).scheme != "memory"

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_WORKERS", "2" if _limits_shared else "1"))
if workers > 1 and not _limits_shared:
    raise SystemExit("gunicorn.conf.py: WEB_WORKERS above 1 needs RATELIMIT_STORAGE_URI=redis://... "
                     "(in memory each worker would count its own rate limits)")
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "8" if workers > 1 else "16"))
timeout = 60
graceful_timeout = 30
keepalive = 5
accesslog = "-"
