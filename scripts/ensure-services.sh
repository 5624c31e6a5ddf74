#!/usr/bin/env bash
# Start PostgreSQL and Redis on 127.0.0.1 when they are down (test runs need both).
set -u
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "Startar PostgreSQL…"
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Startar Redis…"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
pg_isready -h 127.0.0.1 -p 5432 >/dev/null && echo "PostgreSQL: $(psql -h 127.0.0.1 -U postgres -d test -tAc 'select version()' | cut -d, -f1)" \
  || { echo "PostgreSQL på 127.0.0.1:5432 svarar inte." >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null && echo "Redis: $(redis-cli -h 127.0.0.1 info server | grep redis_version | tr -d '\r')" \
  || { echo "Redis på 127.0.0.1:6379 svarar inte." >&2; exit 1; }
