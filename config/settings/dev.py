"""Local development: debug on, mail to the console and to var/mail/."""

import warnings

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
if "EMAIL_URL" not in env.ENVIRON:
    EMAIL_BACKEND = "lms_site.mail_backends.ConsoleAndFileEmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"

# runserver serves static files itself; WhiteNoise's "no STATIC_ROOT yet" warning is noise here.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
