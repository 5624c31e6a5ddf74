"""Settings for Samtrygg, read from the environment with safe defaults for the embedded demo.

Every variable read here is listed in docs/configuration.md; a test keeps the two in step.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SAMTRYGG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SAMTRYGG_ENV = os.environ.get("SAMTRYGG_ENV", "development")
PRODUCTION = SAMTRYGG_ENV == "production"
DEBUG = not PRODUCTION and os.environ.get("DEBUG", "1") not in ("0", "false", "False")


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


_INSECURE_KEY = "django-insecure-samtrygg-demo-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _INSECURE_KEY)
if PRODUCTION and len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY måste sättas (minst 50 tecken) när SAMTRYGG_ENV=production."
    )

ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "axes",
    "samtrygg.core",
    "samtrygg.observations",
    "samtrygg.actions",
    "samtrygg.situation",
    "samtrygg.sources",
    "samtrygg.surveys",
    "samtrygg.statutory",
    "samtrygg.promises",
    "samtrygg.residents",
    "samtrygg.county",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samtrygg.core.middleware.RequestBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samtrygg.core.middleware.SwedishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "samtrygg.core.middleware.SecurityHeadersMiddleware",
    "samtrygg.core.middleware.CurrentPartnershipMiddleware",
    # Last: turns a login refused by the throttle into the login page with the reason.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samtrygg.urls"

# The largest request body outside file uploads, and so the largest API request: 2.5 MB
# (Django's default, set here because RequestBodyMiddleware answers 413 above it and
# docs/configuration.md documents it).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
WSGI_APPLICATION = "samtrygg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samtrygg" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "samtrygg.core.context_processors.samtrygg",
            ],
        },
    },
]

# SQLite in var/ by default (WAL); PostgreSQL through DATABASE_URL. A web process keeps its
# connection for a minute on both: on SQLite, opening one per request (and the WAL checkpoint
# when the last one closes) cost more than the request itself.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samtrygg.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # A file, not memory, so that a job worker started by a test sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# The start page's "Att göra": each app's cards for the actor's roles (see core.start).
START_PAGE_CARDS = [
    "samtrygg.observations.start.cards",
    "samtrygg.situation.start.cards",
    "samtrygg.actions.start.cards",
]
START_WITHOUT_PARTNERSHIP = ["samtrygg.county.start.county_start"]
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins per (username, address) before a pause, and the pause in seconds.
LOGIN_THROTTLE_ATTEMPTS = 5
LOGIN_THROTTLE_SECONDS = 300
# The reverse proxies (addresses or networks) believed about X-Forwarded-For: the client's
# address for the throttles is the right-most address there that is not one of them.
TRUSTED_PROXIES = _list("TRUSTED_PROXIES", "")

# Login throttling by django-axes, counting each attempt before its password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "samtrygg.core.throttling.CountFirstHandler"
AXES_FAILURE_LIMIT = LOGIN_THROTTLE_ATTEMPTS
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_THROTTLE_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "samtrygg.core.clientip.client_address"
AXES_USERNAME_CALLABLE = "samtrygg.core.throttling.username"
AXES_LOCKOUT_CALLABLE = "samtrygg.core.throttling.locked_out"
AXES_VERBOSE = False

# The API: requests per client (a key's or session's user, else the address) and period.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/m")

# Residents' tips (the public form, the tip API and Open311): tips per client address and in
# total per period, and how many seconds a person needs at least to fill in the form.
RESIDENT_TIPS_PER_ADDRESS = os.environ.get("RESIDENT_TIPS_PER_ADDRESS", "20/h")
RESIDENT_TIPS_TOTAL = os.environ.get("RESIDENT_TIPS_TOTAL", "600/h")
RESIDENT_TIP_MIN_SECONDS = float(os.environ.get("RESIDENT_TIP_MIN_SECONDS", "3"))

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "samtrygg" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end libraries come from npm (package-lock.json) and are served from node_modules.
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "samtrygg" / "static"]
STATICFILES_DIRS += [
    (target, _NODE / source)
    for target, source in [
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/leaflet", "leaflet/dist"),
        ("vendor/markercluster", "leaflet.markercluster/dist"),
        ("vendor/geoman", "@geoman-io/leaflet-geoman-free/dist"),
        ("vendor/vega", "vega/build"),
        ("vendor/vega-lite", "vega-lite/build"),
        ("vendor/vega-embed", "vega-embed/build"),
        ("vendor/swagger-ui", "swagger-ui-dist"),
    ]
    if (_NODE / source).exists()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"

# Mail is printed to the console unless EMAIL_URL names a server. A scheme dj-email-url does
# not know would silently fall back to SMTP on localhost, so it is refused at start.
EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
if EMAIL_URL.split(":", 1)[0] not in dj_email_url.SCHEMES:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"EMAIL_URL: okänt schema i {EMAIL_URL.split(':', 1)[0]!r}; använd något av "
        + ", ".join(sorted(dj_email_url.SCHEMES))
    )
_email = dj_email_url.parse(EMAIL_URL)
_email["EMAIL_TIMEOUT"] = _email["EMAIL_TIMEOUT"] or 20  # a silent mail server never hangs a page
vars().update(_email)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samtrygg <noreply@samtrygg.localhost>")

# Security: secure defaults everywhere, HTTPS-only cookies and HSTS in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") != "0"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Background jobs: Celery on Redis when REDIS_URL is set, else kombu's filesystem transport.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        # kombu's default is "control" in the working directory (the repository's root).
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "0") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A job whose worker process dies is handed back to the queue (where the broker supports it),
# rather than acknowledged as done; core.jobs.sweep_stale_jobs catches the rest.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    ),
    # The API throttle's counters: in Redis when there is one, else in each web process's
    # memory (a file per request would cost more than the request).
    "throttle": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    ),
}

MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
POLICE_EVENTS_URL = os.environ.get("POLICE_EVENTS_URL", "")
SAMTRYGG_DATA_DIR = Path(os.environ.get("SAMTRYGG_DATA_DIR", BASE_DIR.parent / "shared" / "data"))

# Invitations are valid this many days.
INVITATION_DAYS = 14

# Generated documents (PDF, XLSX) and their files are deleted this many days after they were
# made; asking again makes them anew from the same adopted content.
SAMTRYGG_DOCUMENT_RETENTION_DAYS = int(os.environ.get("SAMTRYGG_DOCUMENT_RETENTION_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# The schedule; django-celery-beat copies it into the database, where it can be edited.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Every five minutes: jobs whose worker died are marked failed, their files deleted.
    "avbrutna-jobb": {"task": "samtrygg.core.sweep_stale_jobs", "schedule": 300.0},
    "rensa-utgangna-inbjudningar": {
        "task": "samtrygg.core.cleanup_expired_invitations",
        "schedule": 24 * 60 * 60.0,
    },
    "hamta-polisens-handelser": {"task": "samtrygg.sources.fetch_police_events", "schedule": 300.0},
    # Thursdays 10:00: remind reporters whose organisation has not reported this ISO week.
    "paminn-rapportorer": {
        "task": "samtrygg.observations.send_weekly_reminders",
        "schedule": crontab(minute=0, hour=10, day_of_week="thu"),
    },
    # Mondays 07:00 (CELERY_TIMEZONE, Europe/Stockholm): the digest of the adopted picture.
    "veckosammanfattning-lagesbild": {
        "task": "samtrygg.situation.send_weekly_digest",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    # Daily 08:00: remind the coordinators before the review of the statutory lägesbild.
    "paminn-oversyn-lagesbild-enligt-lag": {
        "task": "samtrygg.statutory.send_review_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
    # Nightly 03:30: delete generated documents older than SAMTRYGG_DOCUMENT_RETENTION_DAYS.
    "rensa-gamla-dokument": {
        "task": "samtrygg.situation.cleanup_documents",
        "schedule": crontab(minute=30, hour=3),
    },
    # Nightly 03:45: delete tipsters' e-mail addresses whose time after closing is up.
    "rensa-tipsares-e-post": {
        "task": "samtrygg.residents.delete_expired_contacts",
        "schedule": crontab(minute=45, hour=3),
    },
    # Daily 08:00: remind the samordnare to follow up and renew a promise before it ends.
    "paminn-fornya-medborgarlofte": {
        "task": "samtrygg.promises.send_renewal_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
}

# Days before a citizen promise ends that the samordnare are reminded to renew it.
PROMISE_RENEWAL_REMINDER_DAYS = [
    int(d) for d in os.environ.get("PROMISE_RENEWAL_REMINDER_DAYS", "60,30").split(",") if d.strip()
]
