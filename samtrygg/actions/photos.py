"""Photos of places from safety walks: re-encoded from pixels only, so that no metadata
(EXIF with GPS position, camera serial, time, thumbnails, ICC profiles, XMP, comments) is ever
stored. The orientation the camera recorded is applied to the pixels first."""

from __future__ import annotations

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from samtrygg.core.errors import DomainError

MAX_BYTES = 15 * 1024 * 1024
MAX_SIDE = 2000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


def clean_photo(data: bytes) -> bytes:
    """The photo as a fresh JPEG built from its pixels alone (see the module docstring)."""
    if not data:
        raise DomainError(_("Fotot är tomt."), field="photo")
    if len(data) > MAX_BYTES:
        raise DomainError(_("Fotot är för stort (högst 15 MB)."), field="photo")
    try:
        with Image.open(io.BytesIO(data)) as source:
            if source.format not in ACCEPTED_FORMATS:
                raise DomainError(
                    _("Fotot måste vara en JPEG-, PNG- eller WebP-bild."), field="photo"
                )
            if source.width * source.height > 60_000_000:
                raise DomainError(_("Fotot har för många bildpunkter."), field="photo")
            oriented = ImageOps.exif_transpose(source)
            rgb = oriented.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise DomainError(_("Filen kunde inte läsas som en bild."), field="photo") from exc
    rgb.thumbnail((MAX_SIDE, MAX_SIDE))
    pixels_only = Image.new("RGB", rgb.size)
    pixels_only.paste(rgb)
    out = io.BytesIO()
    pixels_only.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def store_photo(partnership_id: int, cleaned: bytes) -> str:
    """Save a cleaned photo under MEDIA_ROOT; returns its storage name."""
    name = f"trygghetsvandringar/{partnership_id}/{uuid.uuid4().hex}.jpg"
    return default_storage.save(name, ContentFile(cleaned))


def delete_photo(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def open_photo(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        data: bytes = handle.read()
        return data
