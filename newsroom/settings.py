"""Newsroom settings: one module, every deployment-specific value read from the environment.

Variables are documented in `.env.example`; an optional `.env` file in the project root is read too
(real environment variables win). Without any configuration the site refuses to start unless
`DEBUG=true`: development gets safe local defaults (SQLite, local-memory cache, console email),
while production must provide a real `SECRET_KEY` and its hosts.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Development gets a fixed, obviously unsafe key so that `make run` works out of the box; without
# DEBUG there is no default at all, so a production server cannot start on a guessable key.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG is off "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "visitors",
    "reversion",
    "reversion_compare",
    "django.contrib.sitemaps",
    "pagecache",
    "django_guid",
    "articles",
    "comments",
    "transfer",
]

MIDDLEWARE = [
    # Gives every request an id (X-Request-ID) that every log line of that request carries.
    "django_guid.middleware.guid_middleware",
    # Load-balancer probes are answered here, before host checks, HTTPS redirects and sessions.
    "newsroom.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Compresses HTML for clients that ask; Django's GZip middleware pads against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # ETag from the body: a poller whose page has not changed gets a 304, cache hits included.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "newsroom.middleware.DatabaseBusyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After everything that builds the request, as django-axes asks: it turns a locked-out login
    # into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, so its 400 page has the user and messages; still before any view or CSRF check reads
    # the body.
    "newsroom.middleware.FormCharsetMiddleware",
    # Last, so that every middleware above still handles the pages it serves (pagecache/__init__).
    "pagecache.middleware.PageCacheMiddleware",
    # Innermost, after the page cache (which serves no 404s): it must see a view's 404
    # before CommonMiddleware answers it with an APPEND_SLASH redirect (transfer/middleware.py).
    "transfer.middleware.ImportedLinkRedirectMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections (checked before reuse): no connect cost per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Production without CACHE_URL uses the database cache (table made by `createcachetable`): slower
# than Redis but shared by every gunicorn worker and thread, and its `add()` is an atomic insert, so
# view de-duplication stays exact. Development and tests run in one process: local memory is enough.
CACHES = {
    "default": env.cache(
        "CACHE_URL", default="locmemcache://" if DEBUG else "dbcache://newsroom_cache"
    )
}
if CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DatabaseCache")):
    # Django's default of 300 entries would forget view-dedupe keys within minutes on a busy day,
    # and cull cached pages and their version tokens on every few writes.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 100_000)
# Each process's own copy of shared values it may reuse without asking the shared cache: page
# bodies (always checked against the shared version tokens before they are served, so never stale)
# and today's visitor salt (re-read every minute). Bounded by entries, each page at most
# PAGE_CACHE_MAX_BYTES; the default keeps a worker's share to a few megabytes of typical pages.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "newsroom-local",
    "OPTIONS": {"MAX_ENTRIES": env.int("LOCAL_CACHE_ENTRIES", default=300)},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Development serves static files straight from static/ (WhiteNoise finders, no collectstatic).
STATIC_ROOT = env.str("STATIC_ROOT", default="" if DEBUG else str(BASE_DIR / "staticfiles")) or None
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files need `collectstatic`; development serves the sources directly.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email from one URL, e.g. EMAIL_URL=smtp+tls://user:password@smtp.example.com:587 (django-environ's
# format: EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER/PASSWORD, EMAIL_USE_TLS/SSL).
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
globals().update({name: value for name, value in EMAIL_CONFIG.items() if value is not None})
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Newsroom <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SITE_NAME = env.str("SITE_NAME", default="Newsroom")
# The site's public address (scheme and host, no path): canonical links, feeds, sitemaps and emails
# are built from it (articles/site.py), never from the request's Host header.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_TAGLINE = env.str("SITE_TAGLINE", default="News and analysis, written with care.")
ARTICLES_PER_PAGE = env.int("ARTICLES_PER_PAGE", default=10)
# How many reverse proxies (load balancer, CDN) append to X-Forwarded-For in front of the app;
# 0 means clients connect directly and REMOTE_ADDR is the client's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Production hardening: everything `manage.py check --deploy` asks for, on unless DEBUG.
# HTTPS_ONLY=false is the one explicit way to serve production mode over plain HTTP (`make run` on
# 127.0.0.1): no redirect to HTTPS, no HSTS, cookies not marked Secure. Never on a public address.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=not DEBUG)
if not DEBUG:
    SECURE_SSL_REDIRECT = HTTPS_ONLY and env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = HTTPS_ONLY
    CSRF_COOKIE_SECURE = HTTPS_ONLY
    SECURE_HSTS_SECONDS = (
        env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30) if HTTPS_ONLY else 0
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to stdout, one JSON object a line in production (LOG_FORMAT=json, the default without
# DEBUG) or plain text; each line carries the id of the request it belongs to (django-guid).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOG_FORMATTERS = {
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "correlation_id": "request_id"},
    },
    "text": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId"}},
    "formatters": {"default": LOG_FORMATTERS[LOG_FORMAT]},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "default",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-guid announces every id it generates at INFO; the id is on every line anyway.
    "loggers": {"django_guid": {"level": "WARNING"}},
}

# View tracking (articles/tracking.py, articles/counters.py; see docs/view-counting.md).
# A visitor counts once per article within this many minutes.
VIEW_COUNT_WINDOW_MINUTES = env.int("VIEW_COUNT_WINDOW_MINUTES", default=30)
# With a Redis cache, views are buffered there and written to the database at most this often
# (seconds) by the request that finds a flush due; `manage.py flush_views` does it on demand.
VIEW_FLUSH_INTERVAL = env.int("VIEW_FLUSH_INTERVAL", default=10)

# Comments: moderation policy, anti-spam limits, edit window, notifications.
# "trusted" holds first-time commenters, "all" holds everything, "none" approves everything
# that the spam rules let through (see comments/moderation.py).
COMMENTS_MODERATION = env.str("COMMENTS_MODERATION", default="trusted")
COMMENTS_EDIT_WINDOW_MINUTES = env.int("COMMENTS_EDIT_WINDOW_MINUTES", default=10)
# Days after publishing when comments close by themselves; empty = never.
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=None)
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
COMMENTS_MIN_SUBMIT_SECONDS = env.int("COMMENTS_MIN_SUBMIT_SECONDS", default=3)
COMMENTS_FORM_MAX_AGE_HOURS = env.int("COMMENTS_FORM_MAX_AGE_HOURS", default=24)
# "<posts>/<seconds>" per visitor.
COMMENTS_RATE_LIMIT = env.str("COMMENTS_RATE_LIMIT", default="5/600")
COMMENTS_PER_PAGE = env.int("COMMENTS_PER_PAGE", default=50)
COMMENTS_NOTIFY = env.bool("COMMENTS_NOTIFY", default=True)

# Translations (issue 10): user-facing strings are marked with gettext/ngettext; catalogues made
# with `manage.py makemessages -l <code>` live in locale/<code>/LC_MESSAGES/.
LOCALE_PATHS = [BASE_DIR / "locale"]
# SQLite with concurrent writers (the embedded default; gunicorn runs several workers and threads).
# Transactions start with BEGIN IMMEDIATE, so a writer takes the write lock up front and waits for
# it (busy timeout) instead of failing when a deferred transaction tries to upgrade its read lock;
# WAL lets readers run while one writer writes; synchronous=NORMAL is durable across application
# crashes in WAL mode and far cheaper than FULL; a 20 MB page cache per connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20.0),
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-20000; PRAGMA temp_store=MEMORY"
            ),
        }
    )

# Redis cache timeouts: a Redis that accepts connections but never answers must cost a request
# milliseconds, not the page. Every caller that can do without the cache (view counting, rate
# limits, live counts) treats a timeout like an outage; redis-py's own default is 5 s per call.
# After a failure, the process leaves Redis alone for CACHE_REDIS_RETRY_AFTER seconds, so a page
# pays one timeout at most, not one per cache call (newsroom/redis_guard.py).
CACHE_REDIS_TIMEOUT = env.float("CACHE_REDIS_TIMEOUT", default=0.25)
CACHE_REDIS_RETRY_AFTER = env.float("CACHE_REDIS_RETRY_AFTER", default=5.0)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same cache, reusing one redis-py client instead of building one per call.
    CACHES["default"]["BACKEND"] = "newsroom.redis_cache.RedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "socket_connect_timeout": CACHE_REDIS_TIMEOUT,
            "socket_timeout": CACHE_REDIS_TIMEOUT,
            "pool_class": "newsroom.redis_guard.GuardedConnectionPool",
        }
    )
# Authoring (articles/roles.py): when false, Authors submit drafts "for review" and an Editor
# publishes them.
AUTHORS_CAN_PUBLISH = env.bool("AUTHORS_CAN_PUBLISH", default=True)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is locked out for AXES_COOLOFF_MINUTES, even with the right password. The
# state is in the database, so every worker sees it. The address is the one `visitors` trusts
# (TRUSTED_PROXY_COUNT), never a client-written X-Forwarded-For entry. Failed attempts keep the
# address only until they expire with the cooling-off period; successful logins are not logged.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "visitors.identity.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# No start-up banner: stdout carries JSON log lines and command output.
AXES_VERBOSE = False

# Content-Security-Policy (django-csp) and Permissions-Policy (django-permissions-policy).
# Nothing inline: scripts and styles come only from our own static files (the Django admin's too),
# so an injected <script> or style attribute does nothing. Images may also come from MEDIA_URL's
# host when media is served from elsewhere, and as data: URIs (the admin's widgets use them).
_MEDIA_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL)) if "//" in MEDIA_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_MEDIA_ORIGIN] if _MEDIA_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# A blog needs none of these powerful features; no page (nor anything it embeds) may ask for them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# Finding and sharing (issue 9): feeds, sitemap, navigation.
# Articles per feed (site, tag and author feeds, RSS and Atom).
FEED_ITEMS = env.int("FEED_ITEMS", default=20)
# URLs per sitemap page; past this /sitemap.xml becomes an index of pages (the protocol allows
# 50,000).
SITEMAP_PAGE_SIZE = env.int("SITEMAP_PAGE_SIZE", default=5000)
# Seconds the header's navigation tags stay cached (editing a tag clears them at once).
NAVIGATION_CACHE_SECONDS = env.int("NAVIGATION_CACHE_SECONDS", default=3600)

# Page cache for anonymous readers (pagecache/__init__.py). Pages are invalidated exactly when their
# content changes; PAGE_CACHE_SECONDS only bounds how old the sidebar's "most read this week" gets.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Query parameters that select a cached page; any other parameter (utm_*, cache busters) bypasses
# the cache. Search queries (`q`) are cached too: a popular search then costs what a cached page
# does instead of ranking every match (which grows with the archive). Any text makes a new entry,
# but each costs a full search to create, which caps how fast they can pile up; entries expire
# after PAGE_CACHE_SECONDS and Redis evicts them first under `volatile-*` policies (docs/deploy.md).
PAGE_CACHE_QUERY_PARAMS = env.list("PAGE_CACHE_QUERY_PARAMS", default=["page", "comments", "q"])
PAGE_CACHE_MAX_BYTES = env.int("PAGE_CACHE_MAX_BYTES", default=512 * 1024)

# Operations (docs/deploy.md): request ids, error reporting, media on object storage.
# A request id arriving from the load balancer is kept if it is a UUID, otherwise replaced, and sent
# back in X-Request-ID.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
}
# An unreachable database fails a request or a health probe within seconds instead of hanging on
# the operating system's connect timeout (minutes).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
# Errors go to Sentry when SENTRY_DSN is set; nothing is sent (or imported) without it.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )
# Uploaded media on S3-compatible object storage (django-storages) when a bucket is named; the
# credentials come from the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables (or the
# machine's role), read by boto3 itself.
MEDIA_BUCKET = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
            # Public media by default: covers are public anyway, and signed URLs defeat the CDN.
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# Local media files are served by the app itself only when they are not in object storage.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=not MEDIA_BUCKET)

# Import and export (transfer/; see docs/architecture.md). Images referenced by imported posts are
# downloaded when reachable; private, loopback and link-local hosts are refused (an import file must
# not make the server fetch from the internal network) unless this is on.
IMPORT_ALLOW_PRIVATE_HOSTS = env.bool("IMPORT_ALLOW_PRIVATE_HOSTS", default=False)
# Seconds to wait for one image or feed download (images are held to the upload limits of
# articles/images.py).
IMPORT_DOWNLOAD_TIMEOUT = env.int("IMPORT_DOWNLOAD_TIMEOUT", default=15)
# The largest feed or export fetched from a URL (bytes); files given by path have no limit.
IMPORT_MAX_SOURCE_BYTES = env.int("IMPORT_MAX_SOURCE_BYTES", default=1024 * 1024 * 1024)
