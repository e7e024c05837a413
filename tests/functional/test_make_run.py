"""What `make run` does, end to end over real HTTP: keys, migration, demo data, gunicorn."""

import base64
import http.cookiejar
import io
import json
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pyotp
from flask import Flask
from PIL import Image

from complaints.core.config import ENCRYPTION_KEY_FILE, SECRET_KEY_FILE
from complaints.core.identity import IdentityVault
from complaints.intake import captcha


def test_embedded_setup_serves_and_demo_logins_work(served):
    base, seed_output, instance, _env = served
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (instance / "demo-logins.txt").stat().st_mode & 0o777 == 0o600
    password = re.search(r"^lead\s+(\S+)\s+lead$", seed_output, re.M).group(1)

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/staff/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": "lead", "password": password, "csrf_token": token}).encode()
    # The demo's lead unit logs in for the first time: it sets up its second factor first.
    enrol = opener.open(base + "/staff/login", data=form)
    assert enrol.url.endswith("/staff/second-factor")
    token = re.search(r'name="csrf_token" value="([^"]+)"', enrol.read().decode()).group(1)
    page = opener.open(base + "/staff/second-factor/start",
                       data=urllib.parse.urlencode({"csrf_token": token}).encode()).read().decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    codes = opener.open(base + "/staff/second-factor/confirm", data=urllib.parse.urlencode(
        {"code": pyotp.TOTP(secret).now(), "csrf_token": token}).encode()).read().decode()
    assert codes.count("<li><code>") == 10
    dashboard = opener.open(base + "/staff/").read().decode()
    assert "工作台" in dashboard and "YX" in dashboard


def test_the_demo_api_key_files_a_complaint_through_open311(served):
    base, seed_output, _instance, _env = served
    key = re.search(r"^demo-client\s+(\S+)\s+open311-api-key$", seed_output, re.M).group(1)
    form = urllib.parse.urlencode({
        "api_key": key, "service_code": "leaks-drafts", "attribute[township]": "heping",
        "description": "屋顶漏雨，墙角发霉"}).encode()
    with urllib.request.urlopen(base + "/open311/v2/requests.json", data=form) as answer:
        number = json.loads(answer.read())[0]["service_request_id"]
    with urllib.request.urlopen(f"{base}/open311/v2/requests/{number}.xml") as answer:
        assert f"<service_request_id>{number}</service_request_id>" in answer.read().decode()


def shown_digits(instance, session_cookie):
    """The digits the resident reads off the picture: sealed in the session cookie, opened here
    with the instance's keys as the server opens them."""
    signer = Flask(__name__)
    signer.secret_key = (instance / SECRET_KEY_FILE).read_text().strip()
    shown = signer.session_interface.get_signing_serializer(signer).loads(session_cookie)
    vault = IdentityVault(base64.urlsafe_b64decode((instance / ENCRYPTION_KEY_FILE).read_text().strip()))
    return captcha.current_digits(vault, shown["captcha"])


class SlowPhone:
    """A resident's phone on a rural link: the report form with one photo, sent at ``rate`` bytes/s."""

    def __init__(self, base: str, instance, photo: bytes) -> None:
        self.host, self.port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/report").read().decode()
        digits = shown_digits(instance, next(c.value for c in jar if c.name == "session"))
        fields = {name: re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page).group(1)
                  for name in ("csrf_token", "submission_token")}
        fields.update(description="我家土坯房后墙裂了一条大缝，下雨天怕倒。", township="mapu", captcha=digits)
        boundary = "slow-phone-boundary"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="house.jpg"'
                     f"\r\nContent-Type: image/jpeg\r\n\r\n".encode() + photo + b"\r\n")
        self.body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        self.head = (f"POST /report HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                     f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                     f"Content-Length: {len(self.body)}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n")
        self.answer = ""

    def send(self, rate: int) -> None:
        with socket.create_connection((self.host, self.port), timeout=60) as connection:
            connection.sendall(self.head.encode())
            for start in range(0, len(self.body), rate // 10):
                connection.sendall(self.body[start:start + rate // 10])
                time.sleep(0.1)
            self.answer = connection.recv(4096).decode(errors="replace")


def test_a_4mb_photo_over_400_kbits_is_filed_while_others_are_served(served):
    """Two residents upload a phone photo at 400 kbit/s at once, about 90 s each. gunicorn's sync
    workers (its default) are killed at 30 s with the body half read, and while both are held
    nobody else is answered; `make run`'s threaded workers file both and keep answering."""
    base, _seed, instance, _env = served
    out = io.BytesIO()
    Image.frombytes("RGB", (1500, 1200), os.urandom(1500 * 1200 * 3)).save(
        out, "JPEG", quality=95, subsampling=0)
    assert 3.5e6 < len(out.getvalue()) < 5e6
    phones = [SlowPhone(base, instance, out.getvalue()) for _ in range(2)]
    uploads = [threading.Thread(target=phone.send, args=(50_000,)) for phone in phones]
    for upload in uploads:
        upload.start()
    answered = []
    while any(upload.is_alive() for upload in uploads):
        time.sleep(10)
        start = time.monotonic()
        with urllib.request.urlopen(base + "/healthz", timeout=30) as health:
            answered.append((health.status, round(time.monotonic() - start, 2)))
    for upload in uploads:
        upload.join()
    print("others answered during the uploads (status, seconds):", answered)
    assert len(answered) >= 8 and {status for status, _ in answered} == {200}
    for phone in phones:
        assert phone.answer.startswith("HTTP/1.1 302") and "Location: /receipt" in phone.answer
