"""Photos are re-encoded from their pixels: nothing else of the file a resident sent leaves."""

import io

from PIL import Image

from complaints.intake.photos import clean_photo


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
