FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmagic1 gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 pluform

WORKDIR /app
COPY requirements-production.lock ./
RUN pip install --require-hashes -r requirements-production.lock
COPY . .
# collectstatic runs with the production settings (throwaway secrets, no connection is made),
# so that the manifest that production's static storage reads is written.
RUN pybabel compile -d locale -D django || python manage.py compilemessages \
    && DJANGO_DEBUG=0 ALLOWED_HOSTS=build REDIS_URL=redis://build.invalid:6379/0 \
       SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
       PLUFORM_MASTER_KEYS="build:$(python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
       PLUFORM_VAR_DIR=/tmp/build python manage.py collectstatic --no-input \
    && rm -rf /tmp/build

USER pluform
EXPOSE 8000
CMD ["gunicorn", "pluform.wsgi"]
