#!/usr/bin/env bash
# Prepares a fresh Debian 12 or 13 server for Mancrel (run as root; safe to run again):
# packages, a `mancrel` system user, PostgreSQL with pgvector, Redis, nginx with a
# certificate from Let's Encrypt (certbot), Prometheus with the exporters and alert rules,
# Grafana with the dashboards, systemd units for api, worker, beat and the daily backup.
# Then `deploy.sh` installs the code and starts it.
#
#   setup_server.sh --domain crm.example.com --email admin@example.com [--no-tls] [--no-grafana]
#
#   --domain      the name the server answers to (its DNS A/AAAA records must point here for TLS)
#   --email       Let's Encrypt's contact for expiry notices, and the first admin's e-mail
#   --no-tls      plain HTTP only (a trial, or TLS terminated by a load balancer in front)
#   --no-grafana  skip Grafana (it comes from Grafana's own apt repository, not Debian's)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
infra="$(dirname "$here")"
domain="" email="" tls=1 grafana=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --domain) domain="$2"; shift 2 ;;
        --email) email="$2"; shift 2 ;;
        --no-tls) tls=0; shift ;;
        --no-grafana) grafana=0; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ -n "$domain" && -n "$email" ]] || { echo "--domain and --email are required (see --help)" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "run as root (sudo $0 ...)" >&2; exit 1; }
# shellcheck source=/dev/null
source /etc/os-release
[[ "${ID:-}" == debian && "${VERSION_ID:-}" =~ ^(12|13)$ ]] \
    || echo "warning: made for Debian 12 and 13, this is ${PRETTY_NAME:-unknown}" >&2

step() { printf '\n==> %s\n' "$*"; }
# Hex: safe inside URLs (DATABASE_URL, REDIS_URL) without escaping.
random() { python3 -c "import secrets, sys; print(secrets.token_hex(int(sys.argv[1]) // 2))" "$1"; }
export DEBIAN_FRONTEND=noninteractive

step "packages"
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    ca-certificates curl git rsync gettext-base python3 python3-venv \
    postgresql postgresql-contrib redis-server nginx certbot \
    prometheus prometheus-postgres-exporter prometheus-redis-exporter
pg_major="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -1)"
apt-get install -y -qq --no-install-recommends "postgresql-${pg_major}-pgvector"

step "the mancrel user and its folders"
id mancrel >/dev/null 2>&1 \
    || useradd --system --home-dir /var/lib/mancrel --shell /usr/sbin/nologin --user-group mancrel
install -d -o root -g root -m 0755 /opt/mancrel /opt/mancrel/releases
install -d -o root -g mancrel -m 0750 /etc/mancrel
install -d -o mancrel -g mancrel -m 0750 /var/lib/mancrel /var/lib/mancrel/metrics /var/backups/mancrel
install -d -m 0755 /var/www/certbot

step "settings in /etc/mancrel/mancrel.env (kept when it exists)"
env_file=/etc/mancrel/mancrel.env
if [[ ! -f "$env_file" ]]; then
    db_password="$(random 32)"
    redis_password="$(random 32)"
    umask 027
    cat >"$env_file" <<SETTINGS
# Mancrel's settings (README "Configuration"). Read by the systemd units and the scripts.
MANCREL_ENV=production
MANCREL_SECRET_KEY=$(random 48)
MANCREL_HOST=127.0.0.1
MANCREL_PORT=8000
MANCREL_DATA_DIR=/var/lib/mancrel
MANCREL_FRONTEND_DIST=/opt/mancrel/current/frontend/dist
MANCREL_DOMAIN=${domain}
MANCREL_ADMIN_EMAIL=${email}
MANCREL_DEMO=0
DATABASE_URL=postgresql://mancrel:${db_password}@127.0.0.1:5432/mancrel
REDIS_URL=redis://:${redis_password}@127.0.0.1:6379/0
# nginx on this host is the one proxy whose X-Forwarded-For is believed; Prometheus scrapes
# 127.0.0.1:8000 directly.
MANCREL_TRUSTED_PROXIES=127.0.0.1
MANCREL_METRICS_ALLOWED_NETWORKS=127.0.0.1
PROMETHEUS_MULTIPROC_DIR=/var/lib/mancrel/metrics
MANCREL_WORKER_CONCURRENCY=2
SETTINGS
    umask 022
    chown root:mancrel "$env_file"
    chmod 0640 "$env_file"
fi
set -a
# shellcheck source=/dev/null
source "$env_file"
set +a
db_password="$(sed -E 's|^postgresql://[^:]+:([^@]+)@.*|\1|' <<<"$DATABASE_URL")"
redis_password="$(sed -E 's|^redis://:([^@]+)@.*|\1|' <<<"$REDIS_URL")"

step "PostgreSQL ${pg_major} with pgvector"
systemctl enable --now postgresql
runuser -u postgres -- psql -qX -v ON_ERROR_STOP=1 -v pw="$db_password" <<'SQL'
SELECT format('CREATE ROLE mancrel LOGIN PASSWORD %L', :'pw') WHERE NOT EXISTS
  (SELECT FROM pg_roles WHERE rolname = 'mancrel') \gexec
SELECT format('ALTER ROLE mancrel PASSWORD %L', :'pw') \gexec
SELECT 'CREATE DATABASE mancrel OWNER mancrel' WHERE NOT EXISTS
  (SELECT FROM pg_database WHERE datname = 'mancrel') \gexec
SQL
# Extensions need a superuser; the migrations find them in place.
runuser -u postgres -- psql -qX -d mancrel -v ON_ERROR_STOP=1 \
    -c 'CREATE EXTENSION IF NOT EXISTS vector' -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm'

step "Redis (password, append-only file)"
redis_conf=/etc/redis/redis.conf
sed -i -E 's/^#? *appendonly .*/appendonly yes/; s/^#? *appendfsync .*/appendfsync everysec/' "$redis_conf"
if grep -qE '^requirepass ' "$redis_conf"; then
    sed -i -E "s|^requirepass .*|requirepass ${redis_password}|" "$redis_conf"
else
    echo "requirepass ${redis_password}" >>"$redis_conf"
fi
systemctl enable redis-server
systemctl restart redis-server

step "systemd units"
install -m 0644 "$infra"/systemd/mancrel-*.service "$infra"/systemd/mancrel-*.timer /etc/systemd/system/
systemctl daemon-reload
systemctl enable mancrel-api mancrel-worker mancrel-beat mancrel-backup.timer
# `sudo mancrel doctor` (and any other command) as the services run it.
install -m 0755 "$infra"/scripts/mancrel.sh /usr/local/bin/mancrel

step "nginx"
install -d /etc/nginx/mancrel
install -m 0644 "$infra"/nginx/mancrel/*.conf /etc/nginx/mancrel/
export MANCREL_UPSTREAM=127.0.0.1:8000 MANCREL_DOMAIN="$domain" \
    MANCREL_WEB_ROOT=/opt/mancrel/current/frontend/dist MANCREL_CERT_DIR="/etc/letsencrypt/live/$domain"
# shellcheck disable=SC2016  # envsubst's list of the names it may replace, not expansions
names='${MANCREL_UPSTREAM} ${MANCREL_DOMAIN} ${MANCREL_WEB_ROOT} ${MANCREL_CERT_DIR}'
envsubst "$names" <"$infra/nginx/templates/mancrel.conf.template" >/etc/nginx/conf.d/mancrel.conf
site() { envsubst "$names" <"$infra/nginx/sites/$1.conf.template" >/etc/nginx/sites-available/mancrel; }
site http
ln -sfn /etc/nginx/sites-available/mancrel /etc/nginx/sites-enabled/mancrel
rm -f /etc/nginx/sites-enabled/default
nginx -t
systemctl enable nginx
systemctl reload-or-restart nginx

if [[ $tls == 1 ]]; then
    step "certificate for $domain (Let's Encrypt, renewed by certbot's timer)"
    certbot certonly --webroot -w /var/www/certbot -d "$domain" --email "$email" \
        --agree-tos --non-interactive --keep-until-expiring
    install -d /etc/letsencrypt/renewal-hooks/deploy
    printf '#!/bin/sh\nsystemctl reload nginx\n' >/etc/letsencrypt/renewal-hooks/deploy/reload-nginx
    chmod 0755 /etc/letsencrypt/renewal-hooks/deploy/reload-nginx
    site https
    nginx -t
    systemctl reload nginx
fi

step "Prometheus, exporters and alert rules"
install -m 0644 "$infra/prometheus/alerts.yml" /etc/prometheus/alerts.yml
sed -e 's/"api:8000"/"127.0.0.1:8000"/; s/"postgres-exporter:9187"/"127.0.0.1:9187"/' \
    -e 's/"redis-exporter:9121"/"127.0.0.1:9121"/' \
    "$infra/prometheus/prometheus.yml" >/etc/prometheus/prometheus.yml
# Listen on loopback only: Grafana and an SSH tunnel are the ways in.
echo 'ARGS="--web.listen-address=127.0.0.1:9090 --storage.tsdb.retention.time=30d"' >/etc/default/prometheus
cat >/etc/default/prometheus-postgres-exporter <<EXPORTER
DATA_SOURCE_NAME="postgresql://mancrel:${db_password}@127.0.0.1:5432/mancrel?sslmode=disable"
ARGS="--web.listen-address=127.0.0.1:9187"
EXPORTER
cat >/etc/default/prometheus-redis-exporter <<EXPORTER
REDIS_PASSWORD="${redis_password}"
ARGS="-redis.addr=redis://127.0.0.1:6379 -web.listen-address=127.0.0.1:9121"
EXPORTER
chmod 0600 /etc/default/prometheus-postgres-exporter /etc/default/prometheus-redis-exporter
promtool check config /etc/prometheus/prometheus.yml
systemctl enable prometheus prometheus-postgres-exporter prometheus-redis-exporter
systemctl restart prometheus prometheus-postgres-exporter prometheus-redis-exporter

if [[ $grafana == 1 ]]; then
    step "Grafana (from Grafana's apt repository) with the data source and dashboards"
    if [[ ! -f /etc/apt/sources.list.d/grafana.list ]]; then
        install -d -m 0755 /etc/apt/keyrings
        curl -fsSL https://apt.grafana.com/gpg.key | gpg --dearmor --yes -o /etc/apt/keyrings/grafana.gpg
        echo "deb [signed-by=/etc/apt/keyrings/grafana.gpg] https://apt.grafana.com stable main" \
            >/etc/apt/sources.list.d/grafana.list
        apt-get update -qq
    fi
    apt-get install -y -qq grafana
    install -d /etc/grafana/provisioning/datasources /etc/grafana/provisioning/dashboards /var/lib/grafana/dashboards
    sed 's|http://prometheus:9090|http://127.0.0.1:9090|' "$infra/grafana/provisioning/datasources/prometheus.yml" \
        >/etc/grafana/provisioning/datasources/mancrel.yml
    install -m 0644 "$infra/grafana/provisioning/dashboards/mancrel.yml" /etc/grafana/provisioning/dashboards/mancrel.yml
    install -m 0644 "$infra"/grafana/dashboards/*.json /var/lib/grafana/dashboards/
    sed -i -E 's/^;?http_addr =.*/http_addr = 127.0.0.1/' /etc/grafana/grafana.ini
    systemctl enable grafana-server
    systemctl restart grafana-server
fi

step "done"
echo "Next: $here/deploy.sh   (builds and starts Mancrel; run it again for each upgrade)"
