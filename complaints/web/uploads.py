"""Photos from a form's file field, cleaned before the request touches the database; a stored
photo as a response."""

from __future__ import annotations

from flask import Response
from wtforms import FileField, MultipleFileField

from complaints.core.messages import t
from complaints.db.models.cases import StoredPhoto
from complaints.intake.photos import MAX_PHOTOS, CleanPhoto, PhotoError, clean_photo

MAX_UPLOAD_BYTES = 8 * 1024 * 1024


def cleaned_photos(field: MultipleFileField | FileField) -> tuple[list[CleanPhoto], str | None]:
    """The form's photos cleaned, or none and why not, in Chinese. Decoding takes a while: on
    SQLite a transaction holds the whole file from its start, so call this first."""
    data = field.data if isinstance(field.data, list) else [field.data]
    uploads = [upload for upload in data if upload and upload.filename]
    if len(uploads) > MAX_PHOTOS:
        return [], t("photo.error.too-many", most=MAX_PHOTOS)
    photos = []
    for upload in uploads:
        try:
            photos.append(clean_photo(upload.read(MAX_UPLOAD_BYTES + 1)))
        except PhotoError as error:
            return [], t(f"photo.error.{error.code}", name=upload.filename[:60])
    return photos, None


def photo_response(photo: StoredPhoto) -> Response:
    """A stored photo shown in the page (already re-encoded, so its type is what it says)."""
    response = Response(photo.data, mimetype=photo.content_type)
    response.headers["Content-Disposition"] = "inline"
    return response
