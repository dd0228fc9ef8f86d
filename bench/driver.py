"""Run one function of the benchmark inside an Odoo process and write what it returns as JSON.

    python bench/driver.py --conf .local/odoo.conf --db DB --call module:function
                           [--addons-path PATH] [--params JSON] [--out FILE] [--commit]

The registry is opened in this process, so the function gets an environment (superuser) and can
time its calls and count their queries precisely. Its work is rolled back unless --commit is
given: every scenario finds the same data. The process's peak memory is added to the result.
"""

import argparse
import importlib
import json
import logging
import os
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), os.environ.get("ODOO_SRC", "/opt/odoo19")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conf", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--call", required=True)
    parser.add_argument("--addons-path")
    parser.add_argument("--params", default="{}")
    parser.add_argument("--out")
    parser.add_argument("--commit", action="store_true")
    args = parser.parse_args()

    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.service.server import load_server_wide_modules
    from odoo.tools import config

    options = ["-c", args.conf, "-d", args.db, "--log-level=warn"]
    if args.addons_path:
        options += ["--addons-path", args.addons_path]
    config.parse_config(options, setup_logging=True)
    load_server_wide_modules()
    logging.getLogger("odoo").setLevel(logging.WARNING)

    module_name, function_name = args.call.split(":")
    function = getattr(importlib.import_module(module_name), function_name)

    registry = Registry(args.db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
            try:
                result = function(env, **json.loads(args.params))
            finally:
                if not args.commit:
                    cr.rollback()
    except Exception as error:  # reported as the scenario's status
        result = {"error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc()}
    from bench.meter import peak_mb

    if isinstance(result, dict):
        result.setdefault("peak_mb", peak_mb())
    text = json.dumps(result, default=str)
    if args.out:
        Path(args.out).write_text(text)
    else:
        print(text)
    return 1 if isinstance(result, dict) and "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
