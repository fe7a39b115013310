#!/usr/bin/env bash
# The deploy recipe of docs/operations.md tried in a fresh directory with a fresh virtualenv on PostgreSQL
# (the local server's postgres superuser on 127.0.0.1 stands in for `sudo -u postgres`). Usage: tools/try_deploy.sh
set -euxo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
D=${D:-/tmp/chengguan-recipe}
PORT=${PORT:-8107}
rm -rf "$D"; mkdir -p "$D/backups"
python3 -m venv "$D/venv"
"$D/venv/bin/pip" install -q "$REPO"
# 2. PostgreSQL role and database (the shared server here has only the postgres superuser on 127.0.0.1)
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${DB:-cg_recipe}" -c "DROP ROLE IF EXISTS ${DB:-cg_recipe}"
PW="${CG_RECIPE_PASSWORD:-recipe-pw}"  # a throwaway role on the local test server
DBU="${DB:-cg_recipe}"
psql -h 127.0.0.1 -U postgres -qc "CREATE ROLE ${DB:-cg_recipe} LOGIN PASSWORD '$PW'"
# 3. settings
cat > "$D/chengguan.env" <<ENV
CHENGGUAN_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
CHENGGUAN_DATABASE_URL=postgresql://${DBU}:${PW}@127.0.0.1:5432/${DB:-cg_recipe}
CHENGGUAN_ALLOWED_HOSTS=127.0.0.1,localhost
CHENGGUAN_CITY_CODE=410200000000
CHENGGUAN_BACKUP_DIR=$D/backups
CHENGGUAN_LOG_FORMAT=json
ENV
cd /tmp   # any directory: var/ must not land here
set -a; . "$D/chengguan.env"; set +a
"$D/venv/bin/python" -c "from chengguan.paths import var_dir; print('var dir:', var_dir())"
# before the database exists: one readable line
"$D/venv/bin/chengguan" migrate || echo "exit $? (expected: database missing)"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${DB:-cg_recipe} OWNER ${DB:-cg_recipe}"
"$D/venv/bin/chengguan" serve --check || echo "exit $? (expected: migrations pending)"
# 4. setup
CHENGGUAN_ADMIN_PASSWORD='Recipe-admin-2026!' "$D/venv/bin/chengguan" setup --admin admin \
  --regions $REPO/deploy/example/regions.geojson --departments $REPO/deploy/example/departments.csv
"$D/venv/bin/chengguan" grids generate --region 410202001001 --cell-area 40000
ls /tmp/var 2>/dev/null && [ -d /tmp/var ] && echo "UNEXPECTED var in cwd" || echo "no var/ in the working directory"
# 5. serve and two workers
"$D/venv/bin/chengguan" serve --port $PORT > "$D/serve.log" 2>&1 &
SERVE=$!
"$D/venv/bin/chengguan" worker > "$D/worker1.log" 2>&1 &
W1=$!
"$D/venv/bin/chengguan" worker > "$D/worker2.log" 2>&1 &
W2=$!
for i in $(seq 60); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 1; done
curl -s -o /dev/null -w "login page %{http_code}\n" http://127.0.0.1:$PORT/accounts/login/
CSS=$(curl -s http://127.0.0.1:$PORT/accounts/login/ | grep -o '/static/core/chengguan\.[0-9a-f]*\.css' | head -1)
curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$CSS" | grep -iE '^HTTP|cache-control|content-encoding|content-type'
curl -s -o /dev/null -w "metrics from this machine %{http_code}\n" http://127.0.0.1:$PORT/metrics
curl -s -o /dev/null -w "metrics relayed by a proxy %{http_code}\n" -H 'X-Forwarded-For: 203.0.113.9' http://127.0.0.1:$PORT/metrics
sleep 12
curl -s http://127.0.0.1:$PORT/metrics | grep -E "^chengguan_(http_requests_total|cases_open|worker_heartbeat|job_last_success)"
curl -s http://127.0.0.1:$PORT/healthz; echo
kill -TERM $W1 $W2; wait $W1 $W2 || true
kill -TERM $SERVE; wait $SERVE || true
echo "--- worker logs"; cat "$D/worker1.log" "$D/worker2.log"
psql -h 127.0.0.1 -U postgres -d ${DB:-cg_recipe} -Atc "select job, count(*), count(distinct due_at) from ops_jobrun group by job order by job"
# backups and the worker's --list
"$D/venv/bin/chengguan" worker --list
"$D/venv/bin/chengguan" worker --once --job backup --now "$(date -u +%Y-%m-%d)T23:59:00+08:00" 
ls "$D/backups"
