"""Fixtures of the end-to-end tests that run the app as `make run` does."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """One `make run` sequence and one gunicorn with the project's settings, shared by the tests:
    (base URL, what `demo seed` printed, the instance folder, the environment it ran with)."""
    tmp_path = tmp_path_factory.mktemp("make-run")
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "SECRET_KEY", "ENCRYPTION_KEY", "RATELIMIT_STORAGE_URI")}
    env["INSTANCE_PATH"] = str(tmp_path / "instance")
    flask = [str(BIN / "flask"), "--app", "complaints.app"]
    subprocess.run([sys.executable, "-m", "complaints.cli.instance"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    seeded = subprocess.run([*flask, "demo", "seed"], env=env, cwd=ROOT, check=True,
                            capture_output=True, text=True)
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
        yield base, seeded.stdout, tmp_path / "instance", env


@contextlib.contextmanager
def gunicorn(env, log):
    """gunicorn with the project's settings (gunicorn.conf.py) on a free port; its base URL."""
    port = free_port()
    log_file = log.open("wb")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        env={**env, "PORT": str(port)}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log_file,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a busy two-core machine can be slow to boot workers
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).close()
                break
            except OSError:  # refused, reset or timed out while gunicorn starts
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not answer within a minute: " + log.read_text())
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log_file.close()
