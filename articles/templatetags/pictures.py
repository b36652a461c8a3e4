"""`{% picture renditions alt=... sizes=... %}`: a responsive image from stored renditions.

WebP for browsers that take it, JPEG otherwise; `width`/`height` reserve the space before the image
arrives (no layout shift); `lazy=True` for images below the fold, so they load only when needed.
"""

from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html

register = template.Library()


def _srcset(entries) -> str:
    return ", ".join(f"{default_storage.url(name)} {width}w" for width, name in entries)


@register.simple_tag
def picture(renditions, *, alt, sizes="100vw", lazy=False, css_class=""):
    if not renditions or not renditions.get("jpeg"):
        return ""
    jpeg = renditions["jpeg"]
    fallback = default_storage.url(jpeg[min(1, len(jpeg) - 1)][1])
    return format_html(
        '<picture{}><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" '
        'decoding="async"></picture>',
        format_html(' class="{}"', css_class) if css_class else "",
        _srcset(renditions["webp"]),
        sizes,
        fallback,
        _srcset(jpeg),
        sizes,
        renditions["width"],
        renditions["height"],
        alt,
        "lazy" if lazy else "eager",
    )
