"""Settings shared by every environment; everything comes from the environment."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from wagtail.embeds.oembed_providers import vimeo, youtube

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; never committed

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-change-me-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "lms_site.views.csrf_failure"
# Absolute base for links in emails and the CMS.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Apps -----------------------------------------------------------------------
# Order matters: unfold before django.contrib.admin (see docs/pitfalls in design).
DJANGO_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
]
WAGTAIL_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "allauth.usersessions",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "import_export",
    "django_fsm",
]
LOCAL_APPS = [
    "lms_site",
    "home",
    "catalog",
    "learners",
]
INSTALLED_APPS = DJANGO_APPS + WAGTAIL_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: its policy reaches every response, also those a later middleware answers by itself.
    "lms_site.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Malformed requests are refused before sessions, page routing or redirects look anything up with
    # them; after CORS, so a browser client can read the refusal.
    "lms_site.middleware.RefuseMalformedRequestsMiddleware",
    # A request's writes keep its later reads on the primary, never on the read replica.
    "lms_site.replica.ReplicaRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "lms_site.mfa.SecondFactorForAdminsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Instructors meet only their own courses in the Wagtail screens that offer no hook for it.
    "catalog.cms_vendors.CmsVendorGuardMiddleware",
    # Last: a page it answers still passes every middleware above on its way out.
    "catalog.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Data -----------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"].get("ENGINE") == "django.db.backends.sqlite3":
    # The zero-setup default, under runserver's thread per request. SQLite has one writer at a time,
    # and a transaction that read first cannot wait for the lock to write: it fails at once, "database
    # is locked". So each transaction takes the write lock as it begins, waiting up to `timeout`
    # seconds for it; WAL lets reads go on beside the writer, and synchronous=NORMAL is safe with it
    # (a power cut may lose the last commits, never the file). Options in DATABASE_URL still win.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# Behind PgBouncer in transaction mode each transaction may get another server connection, and a
# server-side cursor (iterator() outside a transaction) would be lost between them.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_TRANSACTION_POOLING", default=False)
# An optional read replica: analytics and anonymous visitors' pages read from it (lms_site.replica).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        **{key: DATABASES["default"][key] for key in ("CONN_MAX_AGE", "DISABLE_SERVER_SIDE_CURSORS")},
    }
DATABASE_ROUTERS = ["lms_site.replica.ReplicaRouter"]
# How long a change may take to reach the replica: pages rendered this soon after one read the primary.
DATABASE_REPLICA_LAG_SECONDS = env.int("DATABASE_REPLICA_LAG_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# While Redis (cache or broker) is unreachable the cache is each process's memory and tasks run in the
# process that queues them (lms_site.cache, lms_site.jobs); Redis is tried again after this long.
FAILOVER_RETRY_SECONDS = env.float("FAILOVER_RETRY_SECONDS", default=5)
# An unreachable Redis must fail a call fast, not hang it for the OS connect timeout.
REDIS_CONNECT_TIMEOUT_SECONDS = 2
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lms_site.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lms",
            "OPTIONS": {
                "retry_seconds": FAILOVER_RETRY_SECONDS,
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS,
                "socket_timeout": 2,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# People ---------------------------------------------------------------------
AUTH_USER_MODEL = "lms_site.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lms_site.passwords.CharacterClassValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# allauth: site pages and the headless app client share one configuration.
ACCOUNT_ADAPTER = "lms_site.accounts.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "lms_site.accounts.SignupBaseForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# /admin/ and /cms/ send people without access to this login page; redirecting the
# already signed-in back to `next` would loop, so they get the form (to switch account).
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Learning Platform] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# allauth's own rate limits apply (login, failed logins, signup, reset, code resend).
USERSESSIONS_TRACK_ACTIVITY = False
# Proxies in front of the app: who a client is for allauth's rate limits and the API's throttles alike.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Two-factor authentication (allauth.mfa): an authenticator app and recovery codes, for everyone;
# admins must have one before they reach /admin/, /cms/ or the API (lms_site.mfa).
MFA_ADAPTER = "lms_site.accounts.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Learning Platform")
# One 30-second step either side: phones' clocks drift and people type slowly (RFC 6238, 5.2).
MFA_TOTP_TOLERANCE = 1

HEADLESS_CLIENTS = ("app",)
HEADLESS_TOKEN_STRATEGY = "lms_site.tokens.RoleClaimJWTTokenStrategy"
HEADLESS_JWT_PRIVATE_KEY = env("JWT_PRIVATE_KEY", default="").replace("\\n", "\n")
# RS256 with a key pair in production; HS256 on SECRET_KEY keeps development zero-setup.
HEADLESS_JWT_ALGORITHM = "RS256" if HEADLESS_JWT_PRIVATE_KEY else "HS256"
HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = int(timedelta(minutes=15).total_seconds())
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = int(timedelta(days=7).total_seconds())
HEADLESS_JWT_ROTATE_REFRESH_TOKEN = True
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "api_docs/allauth_redoc.html"  # allauth's own loads ReDoc from a CDN
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": "/accounts/confirm-email/{key}/",
    "account_reset_password_from_key": "/accounts/password/reset/key/{key}/",
    "account_signup": "/accounts/signup/",
}

# Email ----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Learning Platform <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lms_site.api.authentication.BearerJWTAuthentication",
        "lms_site.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["lms_site.api.renderers.EnvelopeJSONRenderer"],
    # JSON bodies only; the one file upload (an avatar) declares its multipart parser on its view.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "lms_site.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "lms_site.api.filters.DocumentedSearchFilter",
        "lms_site.api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "lms_site.api.throttling.AnonRateThrottle",
        "lms_site.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/min"),
        "user": env("API_THROTTLE_USER", default="600/min"),
    },
    "EXCEPTION_HANDLER": "lms_site.api.exceptions.envelope_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Learning Platform API",
    "DESCRIPTION": (
        "REST API of the learning platform. Every response under `/api/v1/` is wrapped in an "
        "envelope `{success, message, data, error}`. Sign in with the allauth headless app "
        "client's operations under `/_allauth/app/v1/` (tag `authentication`, in allauth's own "
        "format; its full specification: `/_allauth/openapi.html`) and send the access token "
        "as `Authorization: Bearer <token>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["lms_site.api.schema.only_project_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lms_site.api.schema.enums_as_components",
        "lms_site.api.schema.wrap_in_envelope",
        "lms_site.api.schema.document_errors",
        "lms_site.api.schema.describe_service",
        "lms_site.api.auth_schema.merge_allauth_app_client",
        "lms_site.api.schema.drop_unused_components",
    ],
    "TAGS": [
        {
            "name": "authentication",
            "description": "Sign up, verify the email, log in, refresh, log out "
            "and passwords: allauth's headless app client, answering in allauth's own format.",
        },
        {"name": "people", "description": "Your profile, instructor requests, and accounts (admins)."},
        {"name": "catalog", "description": "Categories, courses and their lifecycle, sections and lessons."},
        {"name": "learning", "description": "Enrolments, progress, quizzes, certificates and reviews."},
        {"name": "analytics", "description": "Figures for instructors and admins."},
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Two models have a `status`; each enum gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "CourseStatusEnum": "catalog.models.CourseStatus",
        "InstructorRequestStatusEnum": "lms_site.models.InstructorRequest.Status",
    },
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(api|_allauth)/.*$"
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "x-session-token",
    "x-csrftoken",
)

# Jobs -----------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web process publishing to a dead broker gives up within seconds (one reconnection) and runs the
# task itself (lms_site.jobs), instead of Celery's default of retrying before every answer.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0}
# A task held by a worker that died without a word (kill -9, lost node) goes back to the queue once
# it has been unacknowledged this long (acks late); Kombu's default is an hour. Tasks take seconds
# (a mail, a certificate PDF, publishing due pages); the hard time limit is half of it, so a task
# still running is never handed to a second worker, with the other half for a task's wait for a
# free worker and its retry countdowns (at most 16 s). The soft limit lets the task fail cleanly first.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=120)
CELERY_TASK_TIME_LIMIT = CELERY_VISIBILITY_TIMEOUT // 2
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 3 // 4
# Mail and certificate rendering have queues of their own, so each gets workers sized for it;
# everything else (scheduled publication) stays on the default queue, "celery".
CELERY_TASK_ROUTES = {
    "lms_site.tasks.send_email": {"queue": "mail"},
    "learners.tasks.render_certificate": {"queue": "certificates"},
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for such tasks every 5 s: Kombu's default sweep runs every 100 s.
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS,
    "socket_timeout": 5,
}

# Dashboards' figures (learners.analytics) are read far more often than they move.
ANALYTICS_CACHE_SECONDS = env.int("ANALYTICS_CACHE_SECONDS", default=60)
# Anonymous visitors' catalog and course pages (catalog.page_cache); changes bump their version at once.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)

# Each app's demo data, in dependency order (manage.py seed_demo).
DEMO_SEEDERS = ["lms_site.demo.seed", "catalog.demo.seed", "learners.demo.seed"]
# The large data set of `seed_demo --scale N`, for benchmarks.
SCALE_SEEDER = "learners.scale.seed"

CELERY_BEAT_SCHEDULE = {
    # Scheduled course publication: Wagtail's publish_scheduled, every minute.
    "publish-scheduled-pages": {"task": "catalog.tasks.publish_scheduled", "schedule": 60.0},
}

# Wagtail --------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Learning Platform"
# The CMS dashboard asks wagtail.org for new releases from the browser; the platform needs no internet.
WAGTAIL_ENABLE_UPDATE_CHECK = env.bool("WAGTAIL_ENABLE_UPDATE_CHECK", default=False)
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# Uploads the image library cannot read are a form error, not a crash (lms_site.cms_forms).
WAGTAILIMAGES_IMAGE_FORM_BASE = "lms_site.cms_forms.ImageForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "zip", "txt", "csv", "md", "docx", "xlsx", "pptx", "odt", "epub"]
# Course files are served by Django, so that catalog's before_serve_document hook decides who reads them;
# "redirect" and "direct" would hand out the storage's own address (public, or signed and shareable).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Avatars come from the site itself, never from an outside service.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Approving a course in its review workflow must not publish it; see catalog.workflows.
WAGTAIL_FINISH_WORKFLOW_ACTION = "catalog.workflows.finish_workflow"
# A course's review has always finished before it publishes; a publish must never end a review.
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = False
# Rich-text embeds: YouTube's and Vimeo's videos only, whose players the policy lets in (EMBED_PLAYERS).
WAGTAILEMBEDS_FINDERS = [{"class": "wagtail.embeds.finders.oembed", "providers": [youtube, vimeo]}]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# unfold ---------------------------------------------------------------------
from .unfold import UNFOLD  # noqa: E402,F401

# i18n, static, media -------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploads only views that check who asks may serve (besides Wagtail's documents): handed-in work.
PRIVATE_MEDIA_FOLDERS = ["submissions"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True

# Content-Security-Policy (lms_site.csp), per path prefix; the longest prefix that matches wins.
SELF, NONE, UNSAFE_INLINE, UNSAFE_EVAL = "'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'"


def _media_origins() -> list[str]:
    """Where uploaded images and files come from when they live in S3 (none besides the site otherwise)."""
    if not AWS_STORAGE_BUCKET_NAME:
        return []
    if AWS_S3_CUSTOM_DOMAIN:
        return [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    if AWS_S3_ENDPOINT_URL:
        return [
            AWS_S3_ENDPOINT_URL.rstrip("/"),
            f"https://{AWS_STORAGE_BUCKET_NAME}.{urlsplit(AWS_S3_ENDPOINT_URL).netloc}",
        ]
    region = f".{AWS_S3_REGION_NAME}" if AWS_S3_REGION_NAME else ""
    return [f"https://{AWS_STORAGE_BUCKET_NAME}.s3{region}.amazonaws.com"]


MEDIA_ORIGINS = _media_origins()
# Rich text embeds these hosts' videos only (WAGTAILEMBEDS_FINDERS): their players; in the CMS, thumbnails.
EMBED_PLAYERS = ["https://www.youtube.com", "https://player.vimeo.com"]
EMBED_THUMBNAILS = ["https://i.ytimg.com", "https://i.vimeocdn.com"]
# The 500 page styles itself inline, to render even when nothing else can (templates/500.html).
ERROR_PAGE_STYLE = "'sha256-mpv0m+adH89okUuI0F0vg2gJFp6KucbG4CDOECLu53g='"
SITE_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF, ERROR_PAGE_STYLE],
    "img-src": [SELF, *MEDIA_ORIGINS],
    # A video lesson plays a file from wherever its instructor keeps it (catalog.blocks.VideoBlock).
    "media-src": [SELF, "https:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": EMBED_PLAYERS,
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
}
# ReDoc: styled-components writes <style> elements; its search runs in a blob: worker.
API_REFERENCE_POLICY = {
    **SITE_POLICY,
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "worker-src": [SELF, "blob:"],
}
CONTENT_SECURITY_POLICIES = {
    "": SITE_POLICY,
    # Wagtail's admin writes inline scripts and styles (date pickers, panels, its own widgets).
    "/cms/": {
        **SITE_POLICY,
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS, *EMBED_THUMBNAILS],
        "frame-src": [SELF, *EMBED_PLAYERS],
    },
    # unfold: Alpine.js evaluates its attributes as code; a theme <style>, style attributes, htmx's styles.
    "/admin/": {
        **SITE_POLICY,
        "script-src": [SELF, UNSAFE_EVAL],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
    },
    # Swagger UI's icons are data: images.
    "/api/docs/": {**SITE_POLICY, "img-src": [SELF, "data:"]},
    "/api/redoc/": API_REFERENCE_POLICY,
    "/_allauth/openapi.html": API_REFERENCE_POLICY,
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(asctime)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"fontTools": {"level": "WARNING"}},  # it narrates every font subset of a certificate PDF
}
