#!/usr/bin/env bash
# `make bench [SCENARIO=name[,name]] [SCALE=1]`: see bench/runner.py and the README.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
bash scripts/dev.sh pg-start
args=()
[ -n "${1:-}" ] && args+=(--scenario "$1")
[ -n "${2:-}" ] && args+=(--scale "$2")
exec "${VENV:-$ROOT/.venv}/bin/python" bench/runner.py "${args[@]}"
