# Skill Tree: one stateless web container (gunicorn + whitenoise); PostgreSQL runs elsewhere.
FROM python:3.11-slim

# Production unless told otherwise: with DEBUG off, a start without DJANGO_SECRET_KEY refuses.
ENV DJANGO_DEBUG=0 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000 \
    GUNICORN_WORKERS=2 \
    GUNICORN_THREADS=4 \
    GUNICORN_TIMEOUT=30 \
    GUNICORN_GRACEFUL_TIMEOUT=30 \
    GUNICORN_KEEPALIVE=5

WORKDIR /app

RUN groupadd --system --gid 10001 skilltree \
    && useradd --system --uid 10001 --gid skilltree --home-dir /app --shell /usr/sbin/nologin skilltree

# Dependencies first, from pyproject.toml alone: this layer is rebuilt only when they change.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Compressed, hashed static files baked into the image; the key only lets settings load.
RUN DJANGO_SECRET_KEY=collectstatic-at-build-time-only \
    python manage.py collectstatic --no-input --verbosity 0

USER 10001:10001

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["bin/healthcheck"]

CMD ["bin/start"]
