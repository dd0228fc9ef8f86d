#!/usr/bin/env bash
# Developer commands behind the Makefile: venv, private PostgreSQL, `run`, `stop`, `test`, `lint`.
# Everything it creates lives in the git-ignored .local/ and .venv/ folders of the checkout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo19}
VENV=${VENV:-$ROOT/.venv}
STATE=$ROOT/.local
PGPORT=${SVC_PGPORT:-55432}
HTTP_PORT=${SVC_HTTP_PORT:-8069}
TEST_HTTP_PORT=${SVC_TEST_HTTP_PORT:-8169}
RUN_DB=${SVC_RUN_DB:-service_ops}
TEST_DB=${SVC_TEST_DB:-service_ops_test}
DB_USER=odoo
PG_OS_USER=svcops
PY=$VENV/bin/python

say() { printf '\033[1m[service-ops]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[service-ops] %s\033[0m\n' "$*" >&2; exit 1; }

require_odoo() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        die "No Odoo 19.0 source tree at ODOO_SRC=$ODOO_SRC.
Get one with:  git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git /opt/odoo19
or point ODOO_SRC at your own checkout:  make test ODOO_SRC=/path/to/odoo"
    fi
    grep -q "version_info = (19, 0" "$ODOO_SRC/odoo/release.py" \
        || die "ODOO_SRC=$ODOO_SRC is not Odoo 19.0 (see $ODOO_SRC/odoo/release.py)."
}

as_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
    as_root || die "Missing system package(s) $*: install them (apt-get install $*) or run as root."
    say "installing system packages: $*"
    if [ ! -f "$STATE/.apt-updated" ]; then
        apt-get update -qq >/dev/null
        mkdir -p "$STATE" && touch "$STATE/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# ---------------------------------------------------------------- virtualenv
ensure_venv() {
    local stamp="$VENV/.requirements.sha"
    local want
    want=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" "$ROOT/build-constraints.txt" | sha1sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    command -v pg_config >/dev/null || [ -x /usr/lib/postgresql/15/bin/pg_config ] || apt_install libpq-dev
    [ -x "$PY" ] || { say "creating virtualenv $VENV"; python3 -m venv "$VENV"; }
    say "installing Python requirements (first run takes a few minutes)"
    # PIP_CONSTRAINT reaches the isolated build environments too: cbor2 needs setuptools<81 to build.
    PIP_CONSTRAINT="$ROOT/build-constraints.txt" "$VENV/bin/pip" install -q \
        -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt"
    echo "$want" >"$stamp"
}

# ---------------------------------------------------------------- PostgreSQL
pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
    command -v initdb >/dev/null && { dirname "$(readlink -f "$(command -v initdb)")"; return; }
    apt_install postgresql
    pg_bindir
}

# PostgreSQL refuses to run as root: as root, run it under a dedicated unprivileged user.
pg_as() {
    if as_root; then
        runuser -u "$PG_OS_USER" -- "$@"
    else
        "$@"
    fi
}

pg_base() {
    local base=$STATE/pg
    if as_root; then
        id -u "$PG_OS_USER" >/dev/null 2>&1 \
            || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER"
        mkdir -p "$base"
        chown "$PG_OS_USER" "$base"
        if ! runuser -u "$PG_OS_USER" -- test -w "$base"; then
            # The checkout lies under a folder the unprivileged user cannot enter.
            base=/var/tmp/service-ops-pg-$(echo "$ROOT" | sha1sum | cut -c1-10)
            mkdir -p "$base" && chown "$PG_OS_USER" "$base"
        fi
    else
        mkdir -p "$base"
    fi
    echo "$base"
}

psql_admin() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
psql_odoo() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGPORT" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 "$@"; }

# Several checkouts' commands may run at once (e.g. two `make test MODULES=...`): serialise the
# steps that create shared things.
with_lock() {
    mkdir -p "$STATE"
    exec {lock_fd}>"$STATE/.lock-$1"
    flock "$lock_fd"
}
unlock() { flock -u "$lock_fd"; }

pg_start() {
    with_lock pg
    PGBIN=$(pg_bindir)
    PGBASE=$(pg_base)
    local data=$PGBASE/data
    if [ ! -f "$data/PG_VERSION" ]; then
        say "initialising PostgreSQL in $data"
        pg_as "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >>"$data/postgresql.conf" <<CONF
# service-ops: private development server, loopback only.
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGBASE'
# Throw-away development data: durability is traded for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
    fi
    if ! pg_as "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        say "starting PostgreSQL on 127.0.0.1:$PGPORT"
        pg_as "$PGBIN/pg_ctl" -D "$data" -l "$PGBASE/server.log" -w -t 60 start >/dev/null \
            || die "PostgreSQL did not start: see $PGBASE/server.log (is port $PGPORT taken? set SVC_PGPORT)"
    fi
    psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'" | grep -q 1 \
        || psql_admin -c "CREATE ROLE $DB_USER LOGIN CREATEDB"
    unlock
}

pg_stop() {
    PGBIN=$(pg_bindir)
    PGBASE=$(pg_base)
    if pg_as "$PGBIN/pg_ctl" -D "$PGBASE/data" status >/dev/null 2>&1; then
        say "stopping PostgreSQL"
        pg_as "$PGBIN/pg_ctl" -D "$PGBASE/data" -m fast -w stop >/dev/null
    fi
}

db_exists() { psql_odoo -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; }
db_drop() { psql_odoo -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"; rm -rf "$STATE/data/filestore/$1"; }

# ---------------------------------------------------------------- Odoo
our_modules() {
    local m
    for m in "$ROOT"/addons/*/__manifest__.py; do
        [ -f "$m" ] && basename "$(dirname "$m")"
    done
}

# Modules of Odoo that our modules (or the given ones) need, without ours.
external_depends() {
    "$PY" - "$ROOT/addons" "$@" <<'PY'
import ast, pathlib, sys
root = pathlib.Path(sys.argv[1])
ours = {p.parent.name: ast.literal_eval(p.read_text()) for p in root.glob("*/__manifest__.py")}
todo, seen, ext = list(sys.argv[2:] or ours), set(), set()
while todo:
    name = todo.pop()
    if name in seen:
        continue
    seen.add(name)
    for dep in ours[name].get("depends", []):
        (todo.append if dep in ours else ext.add)(dep)
print(",".join(sorted(ext)))
PY
}

write_conf() {
    mkdir -p "$STATE/data" "$STATE/log"
    cat >"$STATE/odoo.conf" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$ROOT/addons
data_dir = $STATE/data
db_host = 127.0.0.1
db_port = $PGPORT
db_user = $DB_USER
http_interface = 127.0.0.1
list_db = False
admin_passwd = $(cat "$STATE/.admin_passwd" 2>/dev/null || { head -c 18 /dev/urandom | base64 | tee "$STATE/.admin_passwd"; })
CONF
}

odoo() { "$PY" "$ODOO_SRC/odoo-bin" -c "$STATE/odoo.conf" "$@"; }

# A database with Odoo's modules that ours depend on, demo data included: a template for test
# databases, rebuilt when the dependencies or Odoo change.
ensure_deps_db() {
    local deps=$1 key name
    key=$( (echo "$deps"; cat "$ODOO_SRC/odoo/release.py"; find "$ODOO_SRC/addons" -maxdepth 2 -name __manifest__.py -newer "$ODOO_SRC/odoo/release.py" 2>/dev/null | wc -l) | sha1sum | cut -c1-10)
    name=svc_deps_$key
    with_lock "$name"
    if ! db_exists "$name"; then
        say "building the dependency database $name ($deps); the first time takes a few minutes"
        local log=$STATE/log/$name.log
        if ! odoo -d "$name" -i "$deps" --with-demo --stop-after-init --no-http \
                --logfile "$log" --log-level=warn; then
            db_drop "$name"
            die "installing $deps failed: see $log"
        fi
    fi
    unlock
    DEPS_DB=$name
}

cmd_venv() { require_odoo; ensure_venv; }

cmd_run() {
    require_odoo
    ensure_venv
    ensure_wkhtmltopdf
    pg_start
    write_conf
    local pidfile=$STATE/odoo.pid
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        say "Odoo is already running (pid $(cat "$pidfile"))"
    else
        local mods
        mods=$(our_modules | paste -sd, -)
        if ! db_exists "$RUN_DB"; then
            say "creating database $RUN_DB with demo data and modules: $mods"
            odoo -d "$RUN_DB" -i "$mods" --with-demo --stop-after-init --no-http \
                --logfile "$STATE/log/install.log" || die "install failed: see $STATE/log/install.log"
        elif [ -n "$(find "$ROOT/addons" -newer "$STATE/.run-db-stamp" -type f 2>/dev/null | head -1)" ]; then
            say "the add-ons changed since the last start: updating $RUN_DB"
            # -i installs the modules added since the database was created; -u alone skips them.
            odoo -d "$RUN_DB" -i "$mods" -u "$mods" --stop-after-init --no-http \
                --logfile "$STATE/log/install.log" || die "update failed: see $STATE/log/install.log"
        fi
        touch "$STATE/.run-db-stamp"
        say "starting Odoo"
        nohup "$PY" "$ODOO_SRC/odoo-bin" -c "$STATE/odoo.conf" -d "$RUN_DB" --db-filter "^$RUN_DB\$" \
            --http-port "$HTTP_PORT" --logfile "$STATE/log/odoo.log" >/dev/null 2>&1 &
        echo $! >"$pidfile"
        local i
        for i in $(seq 1 120); do
            curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/web/login" && break
            kill -0 "$(cat "$pidfile")" 2>/dev/null || die "Odoo stopped: see $STATE/log/odoo.log"
            sleep 0.5
        done
    fi
    curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/web/login" || die "Odoo does not answer: see $STATE/log/odoo.log"
    cat <<MSG

  Odoo 19 with Service Operations: http://127.0.0.1:$HTTP_PORT/odoo/action-service_order.service_order_action
  Demo logins (login / password):
    admin / admin            administrator, Service manager
    svc_manager / svc_manager     Service manager
    svc_dispatcher / svc_dispatcher  Dispatcher
    svc_tech / svc_tech      Technician (try it at 390 px wide)
  Log: $STATE/log/odoo.log     Stop with: make stop

MSG
}

cmd_stop() {
    local pidfile=$STATE/odoo.pid
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        say "stopping Odoo"
        kill "$(cat "$pidfile")"
        for _ in $(seq 1 40); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.25; done
    fi
    rm -f "$pidfile"
    pg_stop
}

cmd_db_reset() {
    require_odoo; ensure_venv; pg_start
    db_drop "$RUN_DB"
    say "dropped $RUN_DB"
}

cmd_lint() {
    local modules=${1:-} paths
    require_odoo
    ensure_venv
    if [ -n "$modules" ]; then
        paths=$(echo "$modules" | tr ',' '\n' | sed "s|^|$ROOT/addons/|")
    else
        paths="$(our_modules | sed "s|^|$ROOT/addons/|") $ROOT/scripts"
        [ -d "$ROOT/bench" ] && paths="$paths $ROOT/bench"
    fi
    say "ruff"
    "$VENV/bin/ruff" check $paths
    "$VENV/bin/ruff" format --check $paths
    say "pylint-odoo"
    "$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc" $(echo "$paths" | tr ' ' '\n' | grep "/addons/")
}

# Translation templates, exported from the `make run` database (the modules must be installed there).
cmd_pot() {
    local modules=${1:-} m
    require_odoo; ensure_venv; pg_start; write_conf
    [ -n "$modules" ] || modules=$(our_modules | paste -sd, -)
    for m in ${modules//,/ }; do
        mkdir -p "$ROOT/addons/$m/i18n"
        "$PY" "$ODOO_SRC/odoo-bin" i18n export -c "$STATE/odoo.conf" -d "$RUN_DB" \
            -o "$ROOT/addons/$m/i18n/$m.pot" "$m"
        say "wrote addons/$m/i18n/$m.pot"
    done
}

ensure_chromium() {
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
        || command -v google-chrome >/dev/null || apt_install chromium
}

# PDF reports (the service report) are printed by wkhtmltopdf; the tests read them with pdftotext.
ensure_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null || apt_install wkhtmltopdf
    command -v pdftotext >/dev/null || apt_install poppler-utils
}

cmd_test() {
    local modules=${1:-}
    require_odoo
    ensure_venv
    if [ -z "$modules" ]; then
        cmd_lint
        modules=$(our_modules | paste -sd, -)
    fi
    ensure_chromium
    ensure_wkhtmltopdf
    pg_start
    write_conf
    ensure_deps_db "$(external_depends ${modules//,/ })"
    db_drop "$TEST_DB"
    psql_odoo -c "CREATE DATABASE \"$TEST_DB\" TEMPLATE \"$DEPS_DB\""
    if [ -d "$STATE/data/filestore/$DEPS_DB" ]; then
        cp -a "$STATE/data/filestore/$DEPS_DB" "$STATE/data/filestore/$TEST_DB"
    fi
    local tags log
    tags=$(echo "$modules" | tr ',' '\n' | sed 's|^|/|' | paste -sd, -)
    log=$STATE/log/$TEST_DB.log
    say "installing and testing: $modules (log: $log)"
    set +e
    odoo -d "$TEST_DB" -i "$modules" --with-demo --test-enable --test-tags "$tags" --stop-after-init \
        --http-port "$TEST_HTTP_PORT" --log-level=test 2>&1 \
        | tee "$log" \
        | grep --line-buffered -E ' (WARNING|ERROR|CRITICAL) |odoo\.tests\.stats|when loading database|post-tests in' \
        | cut -c1-400
    local rc=${PIPESTATUS[0]}
    set -e
    "$PY" "$ROOT/scripts/checklog.py" "$log" --odoo-rc "$rc" --ignore "$ROOT/.checklog-ignore"
}

case "${1:-}" in
    run) cmd_run ;;
    stop) cmd_stop ;;
    test) cmd_test "${2:-}" ;;
    lint) cmd_lint "${2:-}" ;;
    venv) cmd_venv ;;
    db-reset) cmd_db_reset ;;
    pot) cmd_pot "${2:-}" ;;
    pg-start) require_odoo; ensure_venv; pg_start; write_conf ;;
    *) die "usage: dev.sh run|stop|test [modules]|lint|venv|db-reset" ;;
esac
