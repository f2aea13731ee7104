"""Production: secrets required, HTTPS everywhere, nothing served insecurely."""

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env


def _check_jwt_private_key(pem: str) -> None:
    """Refuse to start with a key that would only fail at the first sign-in."""
    if not pem:
        raise ImproperlyConfigured(
            "Set the JWT_PRIVATE_KEY environment variable to an RSA private key (PEM)."
        )
    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"JWT_PRIVATE_KEY is not an unencrypted PEM private key: {exc}") from exc
    if not isinstance(key, RSAPrivateKey):
        raise ImproperlyConfigured("JWT_PRIVATE_KEY must be an RSA key (tokens are signed with RS256).")


DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Links in emails and the CMS must point at the real host, not the development default.
SITE_URL = WAGTAILADMIN_BASE_URL = env("SITE_URL")

# Probes first: they must answer before host validation and the HTTPS redirect.
MIDDLEWARE = ["lms_site.health.ProbeMiddleware", *MIDDLEWARE]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Wagtail's preview views set SAMEORIGIN on their own responses; nothing else is framed.
X_FRAME_OPTIONS = "DENY"

# Persistent connections, not checked with a `SELECT 1` before each request (5-12% of a cheap one):
# a connection the database dropped fails one request, and Django then replaces it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
# base.py signs with RS256 once the key is set. Required here: anything verifying tokens then needs
# only the public key, and rotating SECRET_KEY does not sign everyone out.
_check_jwt_private_key(HEADLESS_JWT_PRIVATE_KEY)

# base.py applies EMAIL_URL; its console fallback would print sign-up and reset codes into the logs.
if "EMAIL_URL" not in env.ENVIRON:
    raise ImproperlyConfigured("Set the EMAIL_URL environment variable (e.g. smtp+tls://user:pass@host:587).")

LOGGING = {
    **LOGGING,
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stdout"}
    },
}
