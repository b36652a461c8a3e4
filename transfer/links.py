"""The old addresses of an imported post, as stored in `Redirect.old_path`.

A post is known by its permalink (`/2023/08/02/seoul-and-tokyo/`, Wix's `/post/slug`), and on
WordPress also by `/?p=<id>`, which is its GUID and what drafts and old shares link to. Only the
path and a WordPress id query are kept: the host changes with the move, and other queries (tracking
parameters) are not part of an address. Paths are stored percent-decoded, as `request.path` is.
"""

from urllib.parse import parse_qs, unquote, urlsplit

from .middleware import WORDPRESS_QUERY_KEYS


def old_paths(post, *, from_wordpress: bool) -> list[str]:
    paths = [path for url in (post.link, post.guid) if (path := _path_of(url))]
    if from_wordpress and post.post_id:
        paths.append(f"/?p={post.post_id}")
    return [path[:500] for path in dict.fromkeys(paths)]


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    if not url.startswith(("http://", "https://", "/")):
        return ""
    path = unquote(parts.path) or "/"
    query = parse_qs(parts.query)
    for key in WORDPRESS_QUERY_KEYS:
        if query.get(key):
            return f"{path}?{key}={query[key][0]}"
    return "" if path == "/" else path
