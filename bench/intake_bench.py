"""The resident's form: page weight, and how long a submission takes end to end.

Serves the app with gunicorn on SQLite (as `make run` does) and times real HTTP
requests from this machine: load the form, submit it with one phone photo, follow
to the receipt. Run with `make bench`.
"""

from __future__ import annotations

import base64
import http.cookiejar
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUNS = 20
ANSWER = "2468"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
                 f'filename="crack.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode() + photo + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def main() -> None:
    photo = io.BytesIO()
    # Noise compresses like a real phone photo does (a few MB), unlike a flat colour.
    Image.merge("RGB", [Image.effect_noise((3000, 4000), 20)] * 3).save(photo, "JPEG", quality=80)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "INSTANCE_PATH": folder, "FLASK_DEBUG": "0", "TESTING": "1",
               "CAPTCHA_TEST_ANSWER": ANSWER, "SECRET_KEY": "b" * 32,
               "ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
               "REPORT_LIMIT_PER_ADDRESS": "1000 per hour"}
        flask = [str(BIN / "flask"), "--app", "complaints.app"]
        subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        port = free_port()
        server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind",
                                   f"127.0.0.1:{port}", "wsgi:app"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            form = opener.open(base + "/report").read()
            css = opener.open(base + "/static/site.css").read()
            image = opener.open(base + "/captcha.png").read()
            print(f"form page: HTML {len(form) / 1024:.1f} KiB + CSS {len(css) / 1024:.1f} KiB = "
                  f"{(len(form) + len(css)) / 1024:.1f} KiB; with the captcha picture "
                  f"{(len(form) + len(css) + len(image)) / 1024:.1f} KiB")
            timings = []
            for _ in range(RUNS):
                page = opener.open(base + "/report").read().decode()
                fields = {
                    "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                            page).group(1),
                    "submission_token": re.search(
                        r'name="submission_token" type="hidden" value="([^"]+)"', page).group(1),
                    "township": "huotian", "village": "菜埔村", "captcha": ANSWER,
                    "description": "我家土坯房后墙裂了一条大缝，下雨天怕倒。", "phone": "13055441314",
                }
                body, content_type = multipart(fields, photo.getvalue())
                request = urllib.request.Request(base + "/report", data=body,
                                                 headers={"Content-Type": content_type})
                started = time.perf_counter()
                receipt = opener.open(request).read().decode()  # follows to /receipt
                timings.append((time.perf_counter() - started) * 1000)
                assert "查询编号" in receipt
            print(f"submission with a {len(photo.getvalue()) / 1024:.0f} KiB 12-megapixel photo, "
                  f"POST to receipt over HTTP (gunicorn, SQLite): median "
                  f"{statistics.median(timings):.0f} ms, worst {max(timings):.0f} ms "
                  f"over {RUNS} runs")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
