# Service Operations for Odoo 19: developer entry points (see README.md).
ODOO_SRC ?= /opt/odoo19
MODULES ?=
export ODOO_SRC

.PHONY: run stop test lint venv db-reset pot help bench

help:
	@echo "make run                 serve Odoo with demo data on http://127.0.0.1:8069"
	@echo "make stop                stop the Odoo and PostgreSQL servers started by make run/test"
	@echo "make test                lint, then install every module in a fresh database and run all tests"
	@echo "make test MODULES=a,b    quick form: only these modules, on the cached dependency database"
	@echo "make lint [MODULES=a,b]  ruff and pylint-odoo only"
	@echo "make db-reset            drop the make run database (recreated on the next make run)"
	@echo "make pot [MODULES=a,b]   export translation templates from the make run database"

run:
	@bash scripts/dev.sh run

stop:
	@bash scripts/dev.sh stop

test:
	@bash scripts/dev.sh test "$(MODULES)"

lint:
	@bash scripts/dev.sh lint "$(MODULES)"

venv:
	@bash scripts/dev.sh venv

db-reset:
	@bash scripts/dev.sh db-reset

pot:
	@bash scripts/dev.sh pot "$(MODULES)"

bench:
	@bash bench/run.sh "$(SCENARIO)" "$(SCALE)"
