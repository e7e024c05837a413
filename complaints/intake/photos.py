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

MAX_PHOTOS = 5             # in one form
MAX_PHOTOS_PER_CASE = 20   # over the life of a case, from the reporter
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# A JPEG is decoded at a fraction of its size (libjpeg's draft mode), so a 150-megapixel one costs
# what a few megapixels do. Other formats are decoded whole: 16 megapixels is more than a
# phone's PNG or WebP, and keeps one decoding near 100 MB and a second.
MAX_JPEG_PIXELS = 150_000_000  # under Pillow's own bomb limit (2 x 89 MP)
MAX_PIXELS = 16_000_000
LONGEST_SIDE = 2560        # plenty to see a crack; keeps the database small
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
            # The limits below are this module's; Pillow's warning at 89 MP would refuse a large JPEG.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                if image_format not in FORMATS:
                    raise PhotoError("not-a-photo")
                limit = MAX_JPEG_PIXELS if image_format == "JPEG" else MAX_PIXELS
                if probe.width * probe.height > limit:
                    raise PhotoError("too-many-pixels")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                if image_format == "JPEG":  # a large photo is scaled down while it is decoded
                    image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))
                image.load()
                upright = ImageOps.exif_transpose(image)
                upright = _eight_bit(upright)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
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


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit and CMYK images as the 8-bit ones a browser shows (16-bit grey scaled, not clipped)."""
    if image.mode in ("RGB", "RGBA", "L", "LA", "P"):
        return image
    if image.mode.startswith("I"):
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert("RGBA" if "A" in image.getbands() else "RGB")
