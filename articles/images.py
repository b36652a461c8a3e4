"""Uploaded images: one validator for every upload, and the resized copies pages use.

Policy (cover images, avatars, images inserted into a body, and imported images):

- Only real JPEG, PNG, WebP or GIF files are accepted, judged by Pillow reading the content, never
  by the file name or the browser's content type.
- At most `MAX_UPLOAD_BYTES` (10 MB) and `MAX_PIXELS` (40 megapixels; an animation's frames
  together at most `MAX_ANIMATION_PIXELS`). Dimensions are read from the
  header before any pixel is decoded, so a decompression bomb (a small file declaring a huge
  canvas) is refused without allocating it; Pillow's own bomb check is turned into an error too.
- A truncated or corrupt file is refused: the whole image is decoded once to prove it.
- The stored file is re-encoded: EXIF orientation is applied to the pixels and every piece of
  metadata (EXIF with GPS, XMP, comments) is dropped. ICC colour profiles are kept, since they
  change how colours look, not who took the photo.

Renditions are made once, when the stored image changes: WebP plus a JPEG fallback at each width
up to the original's, written through Django's storage API (so object storage needs no code
change) and described by a small JSON dict that templates turn into `srcset`.
"""

import io
import warnings
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# An animated GIF is re-encoded frame by frame: its frames together get a budget too.
MAX_ANIMATION_PIXELS = 5 * MAX_PIXELS
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}

COVER_WIDTHS = (480, 960, 1600)
AVATAR_WIDTHS = (96, 192, 400)
JPEG_QUALITY = 85
WEBP_QUALITY = 80


def clean_upload(upload) -> ContentFile:
    """Validate an uploaded image and return a clean copy to store in its place.

    Raises `ValidationError` with a message fit for the form field; never lets a Pillow error out.
    """
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is %(size)s MB; images may be at most 10 MB."),
            code="too_large",
            params={"size": f"{upload.size / 1024 / 1024:.1f}"},
        )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise ValidationError(
                    _("This is a %(format)s image; use JPEG, PNG, WebP or GIF."),
                    code="format",
                    params={"format": image.format},
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("This image is %(width)s×%(height)s pixels; at most 40 megapixels, please."),
                    code="too_many_pixels",
                    params={"width": width, "height": height},
                )
            frames = getattr(image, "n_frames", 1)
            if frames > 1 and frames * width * height > MAX_ANIMATION_PIXELS:
                raise ValidationError(
                    _("This animation has %(frames)s frames; it is too large to process."),
                    code="too_many_pixels",
                    params={"frames": frames},
                )
            image.load()
            cleaned = _strip_and_orient(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("This image declares an enormous size and was refused."), code="bomb"
        ) from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            _("This file is not an image we can read; use JPEG, PNG, WebP or GIF."),
            code="not_an_image",
        ) from error
    except (OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            _("This image is damaged or incomplete; export it again and retry."), code="damaged"
        ) from error
    stem = PurePosixPath(upload.name or "image").stem or "image"
    return ContentFile(cleaned, name=f"{stem}.{FORMATS[image.format]}")


def _strip_and_orient(image: Image.Image) -> bytes:
    """The image re-encoded in its own format, upright, with no metadata but its colour profile."""
    image_format = image.format
    icc_profile = image.info.get("icc_profile")
    out = io.BytesIO()
    if image_format == "GIF":
        # Animated GIFs keep their frames; GIF's metadata is its comment and extension blocks.
        for key in ("comment", "xmp", "extension"):
            image.info.pop(key, None)
        image.save(out, "GIF", save_all=getattr(image, "is_animated", False))
        return out.getvalue()
    upright = ImageOps.exif_transpose(image)
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        upright.convert("RGB").save(out, "JPEG", quality=92, optimize=True, **options)
    elif image_format == "WEBP":
        upright.save(out, "WEBP", quality=90, **options)
    else:
        upright.save(out, "PNG", optimize=True, **options)
    return out.getvalue()


def make_renditions(field_file, *, widths=COVER_WIDTHS, square=False) -> dict:
    """Resized WebP and JPEG copies of a stored image, saved next to nothing it could overwrite.

    Returns {"source": name, "width", "height", "webp": [[w, name], ...], "jpeg": [...]} where
    width/height are those of the largest rendition (the ones `<img>` declares). Old renditions are
    kept when the image changes: a restored revision may point at them again.
    """
    if not field_file:
        return {}
    field_file.open("rb")
    try:
        with Image.open(field_file) as original:
            original.load()
            image = ImageOps.exif_transpose(original)
    finally:
        field_file.close()
    if square:
        side = min(image.size)
        image = ImageOps.fit(image, (side, side))
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    stem = PurePosixPath(field_file.name).stem
    targets = sorted({min(width, image.width) for width in widths})
    renditions = {"source": field_file.name, "webp": [], "jpeg": []}
    for width in targets:
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for kind, save_format, options in (
            ("webp", "WEBP", {"quality": WEBP_QUALITY}),
            ("jpeg", "JPEG", {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}),
        ):
            pixels = _on_white(resized) if save_format == "JPEG" else resized
            out = io.BytesIO()
            pixels.save(out, save_format, **options)
            extension = "jpg" if kind == "jpeg" else kind
            name = default_storage.save(
                f"renditions/{stem}-{width}w.{extension}", ContentFile(out.getvalue())
            )
            renditions[kind].append([width, name])
        renditions["width"], renditions["height"] = width, height
    return renditions


def _on_white(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: transparent parts become white, not black."""
    if image.mode != "RGBA":
        return image.convert("RGB")
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background
