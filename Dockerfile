# syntax=docker/dockerfile:1
# Mancrel images. Targets:
#   runtime (default): the backend (`mancrel serve|worker|beat|migrate`) with the built web app
#   nginx:             nginx with infrastructure/nginx and the built web app (compose's front)
# Build: docker build -t mancrel . ; docker build --target nginx -t mancrel-nginx .

# --- the web app ---------------------------------------------------------------------------
FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- Python packages, built once, copied into the slim runtime -----------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
# pyproject first: the dependency layer is reused until the pins change.
COPY backend/pyproject.toml /opt/mancrel/backend/pyproject.toml
RUN mkdir -p /opt/mancrel/backend/mancrel && touch /opt/mancrel/backend/mancrel/__init__.py \
 && /opt/venv/bin/pip install /opt/mancrel/backend && /opt/venv/bin/pip uninstall -y mancrel
COPY backend/ /opt/mancrel/backend/
# Editable: `mancrel migrate` reads backend/alembic.ini and backend/migrations beside the package.
RUN /opt/venv/bin/pip install --no-deps -e /opt/mancrel/backend \
 && find /opt/mancrel/backend -name tests -prune -exec rm -rf {} +

# --- nginx in front (compose) --------------------------------------------------------------
FROM nginx:1.27-bookworm AS nginx
RUN rm -f /etc/nginx/conf.d/default.conf && mkdir -p /var/www/certbot
COPY infrastructure/nginx/templates/ /etc/nginx/templates/
COPY infrastructure/nginx/sites/ /etc/nginx/mancrel-sites/
COPY infrastructure/nginx/mancrel/ /etc/nginx/mancrel/
COPY infrastructure/nginx/docker-entrypoint.d/ /docker-entrypoint.d/
COPY --from=web /src/frontend/dist/ /srv/mancrel/web/
ENV MANCREL_UPSTREAM=api:8000 MANCREL_DOMAIN=_ MANCREL_WEB_ROOT=/srv/mancrel/web MANCREL_NGINX_SITE=auto

# --- the backend (default target) ----------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 mancrel \
 && useradd --system --uid 10001 --gid mancrel --home-dir /var/lib/mancrel --create-home --shell /usr/sbin/nologin mancrel \
 && install -d -o mancrel -g mancrel /var/lib/mancrel/metrics
# (metrics/ exists in the image so a new named volume mounted there starts owned by mancrel)
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/mancrel/backend /opt/mancrel/backend
COPY --from=web /src/frontend/dist /opt/mancrel/web
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MANCREL_ENV=production \
    MANCREL_HOST=0.0.0.0 \
    MANCREL_PORT=8000 \
    MANCREL_DATA_DIR=/var/lib/mancrel \
    MANCREL_FRONTEND_DIST=/opt/mancrel/web
USER mancrel
WORKDIR /var/lib/mancrel
EXPOSE 8000
# /readyz checks the database, Redis and migrations. Worker and beat containers turn this off
# (docker-compose.yml): they serve no HTTP.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
CMD ["mancrel", "serve"]
