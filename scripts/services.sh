#!/usr/bin/env bash
# Make sure the PostgreSQL and Redis that the tests use are up; start the local ones if they are down.
# Usage: services.sh DATABASE_URL REDIS_URL
set -euo pipefail
database_url=$1
redis_url=$2

hostport() {  # scheme://user@host:port/x -> host port
  python3 - "$1" "$2" <<'PY'
import sys
from urllib.parse import urlparse
u = urlparse(sys.argv[1])
print(u.hostname or "127.0.0.1", u.port or int(sys.argv[2]))
PY
}

read -r pg_host pg_port < <(hostport "$database_url" 5432)
read -r redis_host redis_port < <(hostport "$redis_url" 6379)
local_host() { [[ $1 == 127.0.0.1 || $1 == localhost ]]; }

if ! pg_isready -q -h "$pg_host" -p "$pg_port"; then
  if local_host "$pg_host" && [[ -d /etc/postgresql ]]; then
    echo "services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  fi
  for _ in $(seq 1 30); do pg_isready -q -h "$pg_host" -p "$pg_port" && break; sleep 1; done
  pg_isready -h "$pg_host" -p "$pg_port"
fi

if ! redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1; then
  if local_host "$redis_host"; then
    echo "services: starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no
  fi
  for _ in $(seq 1 30); do redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 1; done
  redis-cli -h "$redis_host" -p "$redis_port" ping
fi
