"""The captcha's digits are easy for weak eyes: no 1 or 7, and strokes that stand out."""

import io

from PIL import Image

from complaints.intake.captcha import INK, PAPER, SYMBOLS, image_png


def relative_luminance(rgb):
    def channel(value):
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_no_digit_that_reads_as_another():
    assert "1" not in SYMBOLS and "7" not in SYMBOLS and len(SYMBOLS) >= 8


def contrast(a, b):
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_strokes_stand_out_from_the_ground_at_least_four_and_a_half_to_one():
    assert contrast(INK, PAPER) >= 4.5
    with Image.open(io.BytesIO(image_png("2468"))) as picture:
        raw = picture.convert("RGB").tobytes()
    pixels = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]
    ground = max(set(pixels), key=pixels.count)
    # The digits' strokes, not only a few noise dots: a good share of the picture.
    strong = [pixel for pixel in pixels if contrast(pixel, ground) >= 4.5]
    assert len(strong) / len(pixels) >= 0.05
