"""Record the Chinese digits 0-9 once for the audio captcha (run by hand; the WAVs are committed).

The captcha package's own voices read English letters. This speaks 零 一 二 ... 九 with
Debian's espeak-ng in Mandarin and converts each to the package's format: mono, 8-bit,
8,000 samples a second, one folder per digit. Usage: python scripts/make_captcha_voices.py
"""

from __future__ import annotations

import io
import struct
import subprocess
import wave
from pathlib import Path

DIGITS = "零一二三四五六七八九"
TARGET = Path(__file__).resolve().parents[1] / "complaints" / "intake" / "voices"
RATE = 8000


def speak(text: str) -> tuple[int, list[int]]:
    raw = subprocess.run(["espeak-ng", "-v", "cmn", "-s", "130", "--stdout", text],
                         check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(raw)) as source:
        assert source.getsampwidth() == 2 and source.getnchannels() == 1
        rate = source.getframerate()
        frames = source.readframes(source.getnframes())
    return rate, list(struct.unpack(f"<{len(frames) // 2}h", frames))


def resample(rate: int, samples: list[int]) -> bytes:
    """Linear interpolation to 8 kHz, then unsigned 8-bit, as the captcha package expects."""
    out = bytearray()
    step = rate / RATE
    position = 0.0
    while position < len(samples) - 1:
        i = int(position)
        value = samples[i] + (samples[i + 1] - samples[i]) * (position - i)
        out.append(max(0, min(255, int(value / 256) + 128)))
        position += step
    return bytes(out)


def main() -> None:
    for digit, word in enumerate(DIGITS):
        folder = TARGET / str(digit)
        folder.mkdir(parents=True, exist_ok=True)
        rate, samples = speak(word)
        with wave.open(str(folder / "cmn.wav"), "wb") as target:
            target.setnchannels(1)
            target.setsampwidth(1)
            target.setframerate(RATE)
            target.writeframes(resample(rate, samples))
        print(f"{digit} {word} -> {folder / 'cmn.wav'}")


if __name__ == "__main__":
    main()
