"""Photos from residents' phones: checked by content, stripped of metadata, bounded in size.

A phone photo's EXIF block can hold where it was taken and which phone took it:
for a whistleblower that is an identity. Every photo is decoded and encoded
again, which drops EXIF, XMP and comments, and turned upright first so nothing
is lost by dropping the orientation tag.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000   # a 40-megapixel photo decodes to ~120 MB; more is not a phone photo
LONGEST_SIDE = 2560       # plenty to see a crack; keeps the database small
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class PhotoError(ValueError):
    """``code`` names the problem for the message catalogue (photo.error.<code>)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CleanPhoto:
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def clean_photo(data: bytes) -> CleanPhoto:
    if not data:
        raise PhotoError("empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError("too-large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                if image_format not in FORMATS:
                    raise PhotoError("not-a-photo")
                if probe.width * probe.height > MAX_PIXELS:
                    raise PhotoError("too-many-pixels")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("not-a-photo") from None
    upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    # Pillow writes back what it read into ``info`` (a JPEG comment, the ICC profile): nothing
    # of the original file but its pixels may leave.
    upright.info = {}
    out = io.BytesIO()
    if image_format == "JPEG":
        upright.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        upright.save(out, "PNG", optimize=True)
    else:
        upright.save(out, "WEBP", quality=85)
    return CleanPhoto(FORMATS[image_format], out.getvalue())
