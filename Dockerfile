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
RUN pybabel compile -d locale -D django || python manage.py compilemessages \
    && DJANGO_DEBUG=1 PLUFORM_VAR_DIR=/tmp/build python manage.py collectstatic --no-input \
    && rm -rf /tmp/build

USER pluform
EXPOSE 8000
CMD ["gunicorn", "pluform.wsgi"]
