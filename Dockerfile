# syntax=docker/dockerfile:1

# Dependencies are installed into a virtualenv in their own stage: a package that ever needs a
# compiler gets it here, and only the finished virtualenv reaches the runtime image.
FROM python:3.12-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt


FROM python:3.12-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000

# The app user owns only the media folder (uploads, generated certificates).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin app \
    && install --directory --owner=app --group=app /app/media

COPY --from=build /opt/venv /opt/venv

WORKDIR /app
# Code stays owned by root: the app user can read it but not change it.
COPY . .

# Static files are part of the image. The settings demand secrets, so this step gets throwaway
# values that exist only for this command; nothing here is stored in the image.
RUN SECRET_KEY=collectstatic-only \
    ALLOWED_HOSTS=localhost \
    SITE_URL=http://localhost \
    EMAIL_URL=consolemail:// \
    JWT_PRIVATE_KEY="$(python -c 'from cryptography.hazmat.primitives import serialization as s; from cryptography.hazmat.primitives.asymmetric import rsa; print(rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()).decode())')" \
    python manage.py collectstatic --noinput

USER app

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=4)"]

CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi"]
