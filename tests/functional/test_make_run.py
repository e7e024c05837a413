"""What `make run` does, end to end over real HTTP: keys, migration, demo data, gunicorn."""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One `make run` sequence and one gunicorn, shared by the tests of this module."""
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
    port = free_port()
    log = tmp_path / "gunicorn.log"
    log_file = log.open("wb")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log_file,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a busy two-core machine can be slow to boot workers
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).close()
                break
            except OSError:  # refused, reset or timed out while gunicorn starts
                if time.monotonic() > deadline:
                    pytest.fail("gunicorn did not answer within a minute: " + log.read_text())
                time.sleep(0.2)
        yield base, seeded.stdout, tmp_path / "instance"
    finally:
        server.terminate()
        server.wait(timeout=10)
        log_file.close()


def test_embedded_setup_serves_and_demo_logins_work(served):
    base, seed_output, instance = served
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (instance / "demo-logins.txt").stat().st_mode & 0o777 == 0o600
    password = re.search(r"^lead\s+(\S+)\s+lead$", seed_output, re.M).group(1)

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/staff/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": "lead", "password": password, "csrf_token": token}).encode()
    dashboard = opener.open(base + "/staff/login", data=form).read().decode()
    assert "工作台" in dashboard and "YX" in dashboard


def test_the_demo_api_key_files_a_complaint_through_open311(served):
    base, seed_output, _instance = served
    key = re.search(r"^demo-client\s+(\S+)\s+open311-api-key$", seed_output, re.M).group(1)
    form = urllib.parse.urlencode({
        "api_key": key, "service_code": "leaks-drafts", "attribute[township]": "heping",
        "description": "屋顶漏雨，墙角发霉"}).encode()
    with urllib.request.urlopen(base + "/open311/v2/requests.json", data=form) as answer:
        number = json.loads(answer.read())[0]["service_request_id"]
    with urllib.request.urlopen(f"{base}/open311/v2/requests/{number}.xml") as answer:
        assert f"<service_request_id>{number}</service_request_id>" in answer.read().decode()
