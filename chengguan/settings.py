"""Settings come from the environment (CHENGGUAN_*); see docs/operations.md."""

import importlib.util
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

from chengguan.paths import var_dir

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir()  # CHENGGUAN_VAR_DIR, else beside the installed code (never the current directory)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Parse sqlite:///path or postgresql://user:pass@host:port/name into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        name = unquote(parsed.path)[1:] or str(VAR_DIR / "chengguan.sqlite3")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            # Django's own statements are bound on the client and never prepared; the few hot statements sent
            # through `core.pipeline` are bound on the server and prepared on their first run (psycopg keeps the
            # last 100 per connection). Behind PgBouncer, use session pooling (or PgBouncer ≥ 1.21 with
            # max_prepared_statements): docs/operations.md.
            "OPTIONS": {"prepare_threshold": 5},
        }
        test_name = os.environ.get("CHENGGUAN_TEST_DATABASE_NAME")
        if test_name:
            config["TEST"] = {"NAME": test_name}
        return config
    raise ImproperlyConfigured(
        f"CHENGGUAN_DATABASE_URL must start with sqlite:// or postgresql://, not {parsed.scheme!r}"
    )


DEBUG = env_bool("CHENGGUAN_DEBUG", False)

_secret_file = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("CHENGGUAN_SECRET_KEY") or (
    _secret_file.read_text().strip() if _secret_file.exists() else ""
)
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "No secret key: set CHENGGUAN_SECRET_KEY (or CHENGGUAN_DEBUG=true for development). "
            "`chengguan demo` generates one in var/secret_key."
        )

ALLOWED_HOSTS = env_list("CHENGGUAN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CHENGGUAN_CSRF_TRUSTED_ORIGINS", "")

LOCAL_APPS = [
    "chengguan.core",
    "chengguan.org",
    "chengguan.grids",
    "chengguan.geo",
    "chengguan.catalog",
    "chengguan.cases",
    "chengguan.evaluation",
    "chengguan.enforcement",
    "chengguan.patrol",
    "chengguan.public",
    "chengguan.sensing",
    "chengguan.oversight",  # its demo runs before enforcement's (RUN_BEFORE): the assistants' work permits
    "chengguan.tasks",
    "chengguan.participation",
    "chengguan.assets",
    "chengguan.permits",
    "chengguan.buildings",
    "chengguan.dashboard",
    "chengguan.ops",  # serve, worker, setup, /metrics (last: it reads the other apps)
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    *LOCAL_APPS,
]

MIDDLEWARE = [
    "chengguan.ops.metrics.MetricsMiddleware",  # request counts and latencies for /metrics
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files for `chengguan serve` (docs/operations.md)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chengguan.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chengguan.apierrors.ApiErrorsMiddleware",
    "chengguan.core.middleware.SecurityHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "chengguan.urls"
WSGI_APPLICATION = "chengguan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # chengguan/templates/ overrides templates of installed packages (Django admin's base_site: the calendar
        # banner and accessibility fixes)
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chengguan.core.context_processors.platform",
                "chengguan.core.context_processors.calendar_banner",
                "chengguan.core.context_processors.staff_menu",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("CHENGGUAN_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'chengguan.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["chengguan.org.auth.LockoutModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Repeated failed logins lock an account for a while (docs/security.md).
LOGIN_FAILURE_LIMIT = int(os.environ.get("CHENGGUAN_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCK_MINUTES = int(os.environ.get("CHENGGUAN_LOGIN_LOCK_MINUTES", "15"))
LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("CHENGGUAN_LOGIN_IP_FAILURE_LIMIT", "30"))
LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("CHENGGUAN_LOGIN_ACCOUNT_FAILURE_LIMIT", "100"))
API_TOKEN_DAYS = int(os.environ.get("CHENGGUAN_API_TOKEN_DAYS", "365"))

SESSION_COOKIE_AGE = int(os.environ.get("CHENGGUAN_SESSION_SECONDS", str(12 * 3600)))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("CHENGGUAN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("CHENGGUAN_SESSION_AT_BROWSER_CLOSE", False)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS-only deployments (behind a TLS proxy) set CHENGGUAN_HSTS_SECONDS, e.g. 31536000; see docs/security.md.
SECURE_HSTS_SECONDS = int(os.environ.get("CHENGGUAN_HSTS_SECONDS", "0"))
SECURE_SSL_REDIRECT = env_bool("CHENGGUAN_SSL_REDIRECT", False)
if os.environ.get("CHENGGUAN_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (chengguan.core.middleware): only this origin. An empty value builds the default
# policy; CHENGGUAN_CSP replaces it whole. Inline <script> blocks are refused unless explicitly allowed.
CONTENT_SECURITY_POLICY = os.environ.get("CHENGGUAN_CSP", "")
CSP_ALLOW_INLINE_SCRIPTS = env_bool("CHENGGUAN_CSP_INLINE_SCRIPTS", False)

LANGUAGE_CODE = "zh-hans"
# Honour the browser's Accept-Language (an English browser gets English); false: Chinese unless the user switches.
BROWSER_LANGUAGE = env_bool("CHENGGUAN_BROWSER_LANGUAGE", True)
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS: list = []  # each app keeps its own locale/ directory
TIME_ZONE = os.environ.get("CHENGGUAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Collected, hashed and gzipped static files, served by whitenoise with a one-year immutable cache header;
# before `collectstatic` (tests, development) files come from the apps' static/ directories.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # or S3, see MEDIA_STORAGE
    "staticfiles": {"BACKEND": "chengguan.ops.staticfiles.StaticStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("CHENGGUAN_MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded photos and evidence are never served from MEDIA_URL: access-checked views hand them out, streaming
# them from Django ("django"), or letting the web server send the file after the check ("x-accel-redirect" for
# nginx, internal location CHENGGUAN_MEDIA_ACCEL_PREFIX; "x-sendfile" for Apache mod_xsendfile / lighttpd).
MEDIA_SERVING = os.environ.get("CHENGGUAN_MEDIA_SERVING", "django").lower()
if MEDIA_SERVING not in {"django", "x-accel-redirect", "x-sendfile", "signed-url"}:
    raise ImproperlyConfigured(
        f"CHENGGUAN_MEDIA_SERVING must be django, x-accel-redirect, x-sendfile or signed-url, not {MEDIA_SERVING!r}"
    )
# Where uploads live: "local" (MEDIA_ROOT) or "s3", an S3-compatible object store (MinIO, Aliyun OSS, Huawei OBS,
# Tencent COS, ...) shared by every web machine. Access is still checked by the platform's views, which then
# stream the object ("django") or redirect to a short-lived signed URL ("signed-url"). docs/operations.md.
MEDIA_STORAGE = os.environ.get("CHENGGUAN_MEDIA_STORAGE", "local").lower()
if MEDIA_STORAGE == "s3":
    if not os.environ.get("CHENGGUAN_S3_BUCKET"):
        raise ImproperlyConfigured("CHENGGUAN_MEDIA_STORAGE=s3 needs CHENGGUAN_S3_BUCKET (and usually the endpoint)")
    if MEDIA_SERVING in {"x-accel-redirect", "x-sendfile"}:
        raise ImproperlyConfigured("with CHENGGUAN_MEDIA_STORAGE=s3, CHENGGUAN_MEDIA_SERVING is django or signed-url")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["CHENGGUAN_S3_BUCKET"],
            "endpoint_url": os.environ.get("CHENGGUAN_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("CHENGGUAN_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("CHENGGUAN_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("CHENGGUAN_S3_REGION") or None,
            "location": os.environ.get("CHENGGUAN_S3_PREFIX", ""),
            # path: http://host/bucket/key (MinIO); virtual: http://bucket.host/key (Aliyun OSS needs it)
            "addressing_style": os.environ.get("CHENGGUAN_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket stays private; nothing is public-read
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("CHENGGUAN_MEDIA_URL_SECONDS", "60")),
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(f"CHENGGUAN_MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}")
elif MEDIA_SERVING == "signed-url":
    raise ImproperlyConfigured("CHENGGUAN_MEDIA_SERVING=signed-url needs CHENGGUAN_MEDIA_STORAGE=s3")
MEDIA_ACCEL_PREFIX = os.environ.get("CHENGGUAN_MEDIA_ACCEL_PREFIX", "/protected-media/")
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# The city this instance serves (GB/T 2260 code); the demo sets Kaifeng.
CITY_CODE = os.environ.get("CHENGGUAN_CITY_CODE", "")

# A development server shows what citizens would be sent (SMS codes, status messages) at /p/dev/messages/:
# the dev/test outbox channel is on when DEBUG is and no channel is configured.
if DEBUG and not os.environ.get("CHENGGUAN_NOTIFICATION_CHANNELS"):
    CASES_NOTIFICATION_CHANNELS = [
        "chengguan.cases.channels.LoggingChannel",
        "chengguan.public.channels.OutboxChannel",
    ]
# Coordinates are stored in one declared system; inputs in other systems are converted.
STORAGE_CRS = "gcj02"
# Optional base-map tiles, e.g. Tianditu with a key; without it maps draw grids on a blank canvas.
MAP_TILE_URL = os.environ.get("CHENGGUAN_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("CHENGGUAN_MAP_TILE_ATTRIBUTION", "")
# The coordinate system of those tiles (Tianditu: cgcs2000; Amap/Tencent: gcj02), so layers line up.
MAP_TILE_CRS = os.environ.get("CHENGGUAN_MAP_TILE_CRS", "gcj02")
# Base maps (chengguan/geo/basemaps.py, docs/maps.md): MBTiles registered with `chengguan maps add` live in
# MAPS_DIR; a Tianditu key adds its street and imagery layers (CGCS2000) with their annotation layers.
MAPS_DIR = Path(os.environ.get("CHENGGUAN_MAPS_DIR", VAR_DIR / "maps"))
TIANDITU_KEY = os.environ.get("CHENGGUAN_TIANDITU_KEY", "")
MAP_CENTER = tuple(float(v) for v in env_list("CHENGGUAN_MAP_CENTER", "114.341,34.797"))
# Geocoder: how often a process checks whether grids changed elsewhere; largest batch per API request.
GRID_INDEX_CHECK_SECONDS = float(os.environ.get("CHENGGUAN_GRID_INDEX_CHECK_SECONDS", "1"))
GEO_BATCH_LIMIT = int(os.environ.get("CHENGGUAN_GEO_BATCH_LIMIT", "10000"))
# A camera with no alarm, clear or status push for this long goes offline (an offline alarm); see docs/sensing.md.
SENSING_CAMERA_OFFLINE_MINUTES = int(os.environ.get("CHENGGUAN_SENSING_CAMERA_OFFLINE_MINUTES", "60"))

# Leaflet's JS/CSS come from the installed django-leaflet package. The app itself is not installed because
# its admin pulls in GeoDjango (GDAL); we only need its static files ({% static 'leaflet/leaflet.js' %}).
STATICFILES_DIRS = [
    Path(p) / "static" for p in importlib.util.find_spec("leaflet").submodule_search_locations
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "chengguan": {"handlers": ["console"], "level": os.environ.get("CHENGGUAN_LOG_LEVEL", "INFO")},
        "chengguan.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# CHENGGUAN_LOG_FORMAT=json: one JSON object per line (chengguan.ops.logjson), for a log collector.
LOG_FORMAT = os.environ.get("CHENGGUAN_LOG_FORMAT", "text").lower()
if LOG_FORMAT == "json":
    LOGGING["formatters"]["json"] = {"()": "chengguan.ops.logjson.JsonFormatter"}
    LOGGING["handlers"]["console"]["formatter"] = "json"
elif LOG_FORMAT != "text":
    raise ImproperlyConfigured(f"CHENGGUAN_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")

# Scheduled backups by `chengguan worker` (docs/operations.md): off unless CHENGGUAN_BACKUP_DIR is set.
BACKUP_DIR = os.environ.get("CHENGGUAN_BACKUP_DIR", "")
BACKUP_AT = os.environ.get("CHENGGUAN_BACKUP_AT", "02:30")
BACKUP_KEEP = int(os.environ.get("CHENGGUAN_BACKUP_KEEP", "14"))
