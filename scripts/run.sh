#!/usr/bin/env bash
# `make run`: migrate, seed the demo, then serve the portal with a Celery worker and one beat beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log

$PY manage.py migrate --noinput
$PY manage.py seed_datong --demo

pids=()
any_alive() {
  local pid
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}
cleanup() {
  trap - EXIT INT TERM
  ((${#pids[@]})) || exit 0
  kill -TERM "${pids[@]}" 2>/dev/null
  for _ in $(seq 1 10); do  # a warm shutdown gets ten seconds, then it is ended
    any_alive || exit 0
    sleep 1
  done
  kill -KILL "${pids[@]}" 2>/dev/null
  exit 0
}
trap cleanup EXIT INT TERM
# One solo worker is plenty for a desk-side portal, and it has no pool children to strand at shutdown.
.venv/bin/celery -A datong_portal worker --pool=solo --loglevel=INFO >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A datong_portal beat --loglevel=INFO --pidfile= >var/log/beat.log 2>&1 &
pids+=($!)

cat <<BANNER

  大同市创建全国文明城市工作平台  →  http://$HOST:$PORT/
  API: http://$HOST:$PORT/api/v1/    文档: http://$HOST:$PORT/api/docs/
  演示账号（密码 ${DEMO_PASSWORD:-Datong-2021}）：hq（指挥部）  supervisor（督导组）  leader（市领导）
      officer-pingcheng / officer-yungang / …（区县创城办）  api-reader（只读接口）  team-leader（志愿服务队队长）
  Celery worker 与 beat 日志：var/log/worker.log、var/log/beat.log

BANNER
$PY manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)
wait -n
