#!/usr/bin/env bash
# A local Airflow for a newcomer (`make airflow`, docs/airflow.md "First hour"): the project's DAGs on the
# sample sources, everything on 127.0.0.1, AIRFLOW_HOME under var/airflow, no Docker.
#
# Why not `airflow standalone`: it starts the scheduler's and the triggerer's log servers on every
# interface (0.0.0.0 / [::], ports 8793/8794) and the api-server on [api] host (default 0.0.0.0). Here the
# same four components are started by hand: the api-server with --host 127.0.0.1, the scheduler and the
# triggerer with --skip-serve-logs (LocalExecutor: the api-server reads task logs from the local folder).
#
# Environment (all optional): AIRFLOW_PORT (8080), AIRFLOW_HOME (var/airflow), PRESSDX_SOURCES
# (var/sample/sources.yml, generated when missing), PRESSDX_WAREHOUSE (duckdb var/warehouse.duckdb),
# PRESSDX_DATA_DIR (var), AIRFLOW_CONN_PRESSDX_SMTP (no mail without it: notify_rejections ends skipped).
# Ctrl-C (or SIGTERM) stops every component.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${PRESSDX_VENV:-$ROOT/.venv}/bin
PORT=${AIRFLOW_PORT:-8080}
cd "$ROOT"

AIRFLOW_HOME=${AIRFLOW_HOME:-$ROOT/var/airflow}
mkdir -p "$AIRFLOW_HOME/logs"
ENV_FILE=$AIRFLOW_HOME/env.sh
# Every setting in one file that this script and the newcomer's other shells source (`. var/airflow/env.sh`
# before `airflow dags list`, `airflow dags test …`), so the CLI and the running components agree.
cat >"$ENV_FILE" <<EOF
# written by scripts/airflow-standalone.sh: source it to use this Airflow from another shell
export AIRFLOW_HOME='$AIRFLOW_HOME'
export AIRFLOW__CORE__DAGS_FOLDER='$ROOT/dags'
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__EXECUTOR=LocalExecutor
export AIRFLOW__CORE__PARALLELISM=${AIRFLOW__CORE__PARALLELISM:-2}
export AIRFLOW__CORE__DEFAULT_TIMEZONE=Asia/Ho_Chi_Minh
export AIRFLOW__CORE__AUTH_MANAGER=airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS='${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS:-admin:admin}'
export AIRFLOW__API__HOST=127.0.0.1 AIRFLOW__API__PORT=$PORT
export AIRFLOW__API__BASE_URL=http://127.0.0.1:$PORT
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL=http://127.0.0.1:$PORT/execution/
export PRESSDX_DATA_DIR='${PRESSDX_DATA_DIR:-$ROOT/var}'
export PRESSDX_SOURCES='${PRESSDX_SOURCES:-$ROOT/var/sample/sources.yml}'
EOF
# shellcheck source=/dev/null
. "$ENV_FILE"
WAREHOUSE=${PRESSDX_WAREHOUSE:-duckdb:///$ROOT/var/warehouse.duckdb}

say() { printf 'airflow-standalone: %s\n' "$*"; }

if [ ! -x "$BIN/airflow" ]; then
    say "no $BIN/airflow: run 'make install' first" >&2
    exit 2
fi
if [ ! -f "$PRESSDX_SOURCES" ]; then
    if [ "$PRESSDX_SOURCES" != "$ROOT/var/sample/sources.yml" ]; then
        say "PRESSDX_SOURCES=$PRESSDX_SOURCES does not exist" >&2
        exit 2
    fi
    say "generating the sample sources in var/sample (pressdx sample)"
    "$BIN/pressdx" sample --out var/sample --force >/dev/null
fi

say "metadata database in $AIRFLOW_HOME (airflow db migrate)"
"$BIN/airflow" db migrate >"$AIRFLOW_HOME/logs/migrate.log" 2>&1 \
    || { say "airflow db migrate failed: see $AIRFLOW_HOME/logs/migrate.log" >&2; exit 1; }

# The configuration the tasks read first (pressdx/airflow/config.py); set once, a later edit is kept.
"$BIN/airflow" variables get pressdx_sources >/dev/null 2>&1 \
    || "$BIN/airflow" variables set pressdx_sources "$PRESSDX_SOURCES" >/dev/null
if ! "$BIN/airflow" connections get pressdx_warehouse >/dev/null 2>&1; then
    "$BIN/airflow" connections add pressdx_warehouse --conn-type generic \
        --conn-extra "{\"url\": \"$WAREHOUSE\"}" >/dev/null
fi

# Without this, `airflow dags list` says "No data found" until the dag-processor's first pass.
say "serializing the DAGs of dags/ (airflow dags reserialize)"
"$BIN/airflow" dags reserialize >"$AIRFLOW_HOME/logs/reserialize.log" 2>&1 \
    || { say "a DAG does not parse: see $AIRFLOW_HOME/logs/reserialize.log" >&2; exit 1; }

pids=()
stop() {
    trap - INT TERM EXIT
    say "stopping"
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

start() {  # start NAME ARGS...: one component, its output in $AIRFLOW_HOME/logs/NAME.log
    local name=$1; shift
    "$BIN/airflow" "$@" >"$AIRFLOW_HOME/logs/$name.log" 2>&1 &
    pids+=("$!")
}
start api-server api-server --host 127.0.0.1 --port "$PORT" --workers 1
start scheduler scheduler --skip-serve-logs
start dag-processor dag-processor
start triggerer triggerer --skip-serve-logs

for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$PORT/api/v2/monitor/health" >/dev/null 2>&1; then
        break
    fi
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2>/dev/null || { say "a component stopped: see $AIRFLOW_HOME/logs/*.log" >&2; exit 1; }
    done
    sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/api/v2/monitor/health" >/dev/null \
    || { say "the api-server did not answer in 120 s: see $AIRFLOW_HOME/logs/api-server.log" >&2; exit 1; }

PASSWORDS=$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated
login="see $PASSWORDS"
if [ -f "$PASSWORDS" ]; then
    login=$("$BIN/python" -c 'import json, sys; print(", ".join(f"{u} / {p}" for u, p in json.load(open(sys.argv[1])).items()))' "$PASSWORDS")
fi
cat <<EOF

  Airflow is up: http://127.0.0.1:$PORT   (login: $login)
  DAGs: pressdx_intake, pressdx_quarterly, pressdx_annual (paused: unpause or trigger one in the UI)
  sources: $PRESSDX_SOURCES   warehouse: $WAREHOUSE
  logs: $AIRFLOW_HOME/logs/
  in another shell: . $ENV_FILE && .venv/bin/airflow dags list
  Ctrl-C stops it.

EOF
wait -n "${pids[@]}" || true
say "a component stopped: see $AIRFLOW_HOME/logs/*.log" >&2
exit 1
