"""Photos are re-encoded from their pixels: nothing else of the file a resident sent leaves."""

import io

import pytest
from PIL import Image

from complaints.intake.photos import MAX_PHOTO_BYTES, PhotoError, clean_photo


def jpeg_with(**extra) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (150, 110, 80)).save(out, "JPEG", **extra)
    return out.getvalue()


def test_a_jpeg_comment_and_exif_are_dropped():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0131] = "SecretApp 1.0"  # software
    sent = jpeg_with(comment=b"lat 23.95 lon 117.34 home of the reporter", exif=exif.tobytes())
    assert b"home of the reporter" in sent and b"SecretApp" in sent
    cleaned = clean_photo(sent)
    assert b"home of the reporter" not in cleaned.data and b"SecretApp" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert image.size == (640, 480) and "comment" not in image.info and not image.getexif()


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def test_a_very_large_jpeg_is_scaled_down_not_refused():
    sent = encoded(Image.new("RGB", (12000, 9000), (150, 110, 80)), "JPEG", quality=80)  # 108 MP
    with Image.open(io.BytesIO(clean_photo(sent).data)) as image:
        assert image.size == (2560, 1920)


def test_sixteen_bit_grey_keeps_its_tone():
    sent = encoded(Image.new("I;16", (800, 600), 40000), "PNG")  # 40000/65535: a mid grey
    with Image.open(io.BytesIO(clean_photo(sent).data)) as image:
        assert image.mode == "L" and 150 <= image.getpixel((10, 10)) <= 160


def test_a_huge_png_is_refused_before_it_is_decoded():
    sent = encoded(Image.new("RGB", (6300, 6300)), "PNG")  # small file, 40 MP when decoded
    assert len(sent) < MAX_PHOTO_BYTES
    with pytest.raises(PhotoError) as refused:
        clean_photo(sent)
    assert refused.value.code == "too-many-pixels"
