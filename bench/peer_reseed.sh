#!/bin/sh
# (Re)seed the Open311 peer (6aika/issue-reporting @ 89de4fb) for bench/http_load.py --peer-url and serve it:
# stops the gunicorn this script started before (its pid file), drops and re-creates the database
# bench_peer_write, migrates, seeds 1,000 requests (+ ANALYZE), starts gunicorn with 2 sync workers on
# 127.0.0.1:18377 in the background and waits until it answers. Idempotent: run it before every run.
# Needs /tmp/peer-venv and /tmp/peer-issue-reporting (docs/performance.md, "Against the peer").
set -eu
REPO=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}
PORT=${PEER_PORT:-18377}
DB=${PEER_DB:-bench_peer_write}
PIDFILE=/tmp/peer-gunicorn-$PORT.pid
LOG=/tmp/peer-gunicorn-$PORT.log
cd /tmp/peer-issue-reporting
export DEBUG=0 SECRET_KEY=bench DJANGO_SETTINGS_MODULE=peer_settings \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
if [ -f "$PIDFILE" ]; then
    pid=$(cat "$PIDFILE")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
    fi
    rm -f "$PIDFILE"
fi
psql -q -h 127.0.0.1 -U postgres -d postgres \
    -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()" \
    -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
/tmp/peer-venv/bin/python -W ignore manage.py migrate -v 0 >"$LOG.setup" 2>&1 || { cat "$LOG.setup" >&2; exit 1; }
/tmp/peer-venv/bin/python -W ignore manage.py shell <"$REPO/bench/peer_seed.py" >"$LOG.setup" 2>&1 || { cat "$LOG.setup" >&2; exit 1; }
grep "peer seeded" "$LOG.setup"
/tmp/peer-venv/bin/python -m gunicorn cfh.wsgi:application -w 2 -b 127.0.0.1:$PORT --log-level warning \
    --pid "$PIDFILE" --daemon --error-logfile "$LOG"
i=0
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/georeport/v2/services.json"; do
    i=$((i + 1))
    if [ $i -ge 100 ]; then echo "peer did not answer on $PORT (see $LOG)" >&2; exit 1; fi
    sleep 0.2
done
echo "peer up on http://127.0.0.1:$PORT (db $DB, pid $(cat "$PIDFILE"))"
