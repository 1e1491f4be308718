# syntax=docker/dockerfile:1
# ATSPro image: the `atspro` CLI (serve, worker, migrate, token) with offline GraphiQL assets.
# It installs exactly what scripts/bootstrap installs (the same lock files through the same
# scripts/install-deps, skills vocabulary included), less the test tools.

# Stage 1: GraphiQL's browser assets from the npm registry (assets/package-lock.json).
FROM node:20-slim AS assets
WORKDIR /build
COPY scripts/install-assets scripts/install-assets
COPY assets assets
RUN bash scripts/install-assets /build/vendor

# Stage 2: the Python package.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements ./requirements
COPY scripts/install-deps ./scripts/install-deps
COPY pyproject.toml README.md ./
COPY atspro ./atspro
COPY --from=assets /build/vendor ./atspro/static/vendor
RUN bash scripts/install-deps python base \
    && useradd --system --create-home --home-dir /home/atspro atspro
USER atspro
WORKDIR /home/atspro
# Compose (or `docker run -e`) supplies DATABASE_URL and REDIS_URL; without them the
# embedded default would look for server binaries this image does not ship.
ENV HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/home/atspro/.atspro
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["atspro", "serve"]
