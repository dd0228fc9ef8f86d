"""`make bench`: build the benchmark databases, generate the data, run every scenario against its
baseline in the same run, print the table, write bench-out/bench-results.json and a chart.

    python bench/runner.py [--scenario NAME[,NAME]] [--scale 1.0]
"""

import argparse
import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo19"))
# The scenario modules import odoo: the registry of scenarios is read from them.
sys.path[:0] = [str(ROOT), str(ODOO_SRC)]

from bench.datagen import BASE, X10_ATTENDANCES  # noqa: E402 - needs the checkout on sys.path
from bench.scenarios import SCENARIOS  # noqa: E402

OUT = ROOT / "bench-out"
LOGS = OUT / "logs"
CONF = ROOT / ".local" / "odoo.conf"
# The virtualenv of `make` (VENV), as scripts/dev.sh reads it.
PYTHON = Path(os.environ.get("VENV") or ROOT / ".venv") / "bin" / "python"
PEER_ADDONS = OUT / "peer-addons"
PEER_WHEELS = OUT / "peer-wheels"
# fieldservice_sale depends on fieldservice_account, which comes from its own wheel.
PEER_PACKAGES = [
    "odoo-addon-fieldservice",
    "odoo-addon-fieldservice-sale",
    "odoo-addon-base-territory",
    "odoo-addon-fieldservice-account",
]
PEER_MODULES = ["fieldservice", "fieldservice_sale"]
# Odoo's own modules behind the baselines, installed next to ours.
BASELINE_MODULES = ["sale_project", "sale_timesheet", "hr_attendance"]
DB = {"ours": "svc_bench_ours", "peer": "svc_bench_peer", "ours_x10": "svc_bench_ours_x10"}


def say(message):
    print(f"\033[1m[bench]\033[0m {message}", flush=True)


# ---------------------------------------------------------------------------------- databases
def pg(dbname="postgres"):
    connection = psycopg2.connect(
        host="127.0.0.1", port=os.environ.get("SVC_PGPORT", "55432"), user="odoo", dbname=dbname
    )
    connection.autocommit = True
    return connection


def db_exists(name):
    with pg() as connection, connection.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def drop_db(name):
    assert name.startswith("svc_bench_"), name
    connection = pg()
    with connection.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()
    shutil.rmtree(ROOT / ".local" / "data" / "filestore" / name, ignore_errors=True)


def copy_db(source, target):
    drop_db(target)
    connection = pg()
    with connection.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    connection.close()
    store = ROOT / ".local" / "data" / "filestore"
    if (store / source).is_dir():
        shutil.copytree(store / source, store / target)


def bench_templates():
    with pg() as connection, connection.cursor() as cr:
        cr.execute("SELECT datname FROM pg_database WHERE datname LIKE 'svc\\_bench\\_tpl\\_%'")
        return [name for (name,) in cr.fetchall()]


# ---------------------------------------------------------------------------------- modules
def landed_modules():
    """Our modules present in addons/ with a manifest that parses and is installable."""
    result = []
    for manifest in sorted((ROOT / "addons").glob("*/__manifest__.py")):
        try:
            data = ast.literal_eval(manifest.read_text())
        except (SyntaxError, ValueError):
            continue
        if data.get("installable", True):
            result.append(manifest.parent.name)
    return result


def tree_hash(paths, extra=""):
    digest = hashlib.sha1(extra.encode())
    for base in paths:
        for path in sorted(p for p in Path(base).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(base.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def fetch_peer():
    """Download the peer's 19.0 wheels (no dependencies) and unpack its addons."""
    if all((PEER_ADDONS / name / "__manifest__.py").is_file() for name in [*PEER_MODULES, "base_territory"]):
        return
    say("downloading the OCA field-service peer from PyPI")
    PEER_WHEELS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "pip"),
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(PEER_WHEELS),
            *[f"{name}>=19.0,<19.1" for name in PEER_PACKAGES],
        ],
        check=True,
    )
    PEER_ADDONS.mkdir(parents=True, exist_ok=True)
    for wheel in PEER_WHEELS.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if member.startswith("odoo/addons/"):
                    target = PEER_ADDONS / member.removeprefix("odoo/addons/")
                    if member.endswith("/"):
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(member))


def odoo_install(dbname, modules, addons_path, log):
    command = [
        str(PYTHON),
        str(ODOO_SRC / "odoo-bin"),
        "-c",
        str(CONF),
        "-d",
        dbname,
        "-i",
        ",".join(modules),
        "--stop-after-init",
        "--no-http",
        "--addons-path",
        addons_path,
        "--logfile",
        str(log),
        "--log-level=warn",
    ]
    return subprocess.Popen(command)


def build_templates(needs, ours_modules):
    """The installed modules, cached as template databases keyed on the code: a run after a
    change of our modules reinstalls them, other runs only copy the template."""
    ours_path = f"{ODOO_SRC / 'addons'},{ROOT / 'addons'}"
    peer_path = f"{ODOO_SRC / 'addons'},{PEER_ADDONS}"
    release = (ODOO_SRC / "odoo" / "release.py").read_text()
    wanted = {}
    if "ours" in needs:
        key = tree_hash([ROOT / "addons" / m for m in ours_modules], release + ",".join(ours_modules))
        wanted["ours"] = (f"svc_bench_tpl_ours_{key}", ours_modules + BASELINE_MODULES, ours_path)
    if "peer" in needs:
        fetch_peer()
        key = tree_hash([PEER_ADDONS], release)
        wanted["peer"] = (f"svc_bench_tpl_peer_{key}", PEER_MODULES, peer_path)
    if os.environ.get("SVC_BENCH_KEEP_TEMPLATES"):
        # While developing the bench: reuse the last templates whatever changed in addons/.
        for kind, (_name, modules, path) in list(wanted.items()):
            existing = sorted(t for t in bench_templates() if t.startswith(f"svc_bench_tpl_{kind}_"))
            if existing:
                wanted[kind] = (existing[-1], modules, path)
    for stale in set(bench_templates()) - {name for name, _m, _p in wanted.values()}:
        if any(stale.startswith(f"svc_bench_tpl_{kind}_") for kind in wanted):
            drop_db(stale)
    running = {}
    for kind, (name, modules, path) in wanted.items():
        if not db_exists(name):
            say(f"installing {', '.join(modules)} into {name} (cached for the next runs)")
            running[kind] = (name, odoo_install(name, modules, path, LOGS / f"{name}.log"))
    failed = []
    for kind, (name, process) in running.items():
        if process.wait() != 0:
            drop_db(name)
            failed.append(kind)
    return {kind: (name, path) for kind, (name, _m, path) in wanted.items()}, failed


# ---------------------------------------------------------------------------------- running
def drive(db_kind, call, addons_path, params=None, commit=False):
    out = OUT / "tmp" / f"{call.replace(':', '.')}.{db_kind}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(PYTHON),
        str(ROOT / "bench" / "driver.py"),
        "--conf",
        str(CONF),
        "--db",
        DB[db_kind],
        "--call",
        call,
        "--addons-path",
        addons_path,
        "--params",
        json.dumps(params or {}),
        "--out",
        str(out),
    ]
    if commit:
        command.append("--commit")
    with open(LOGS / f"{DB[db_kind]}.log", "a") as log:
        subprocess.run(command, stdout=log, stderr=log, check=False)
    if not out.is_file():
        return {"error": f"the driver wrote no result (see {LOGS / (DB[db_kind] + '.log')})"}
    result = json.loads(out.read_text())
    out.unlink()
    return result


def row_for(item, ours, baseline):
    row = {
        "scenario": item.name,
        "title": item.title,
        "ours": ours.get("seconds"),
        "baseline": baseline.get("seconds"),
        "ratio": None,
        "target": item.target,
        "queries": ours.get("queries"),
        "baseline_queries": baseline.get("queries"),
        "peak_mb": ours.get("peak_mb"),
        "baseline_peak_mb": baseline.get("peak_mb"),
        "ours_label": item.ours.label,
        "baseline_label": item.baseline.label,
        "notes": [*ours.get("notes", []), *(f"baseline: {n}" for n in baseline.get("notes", []))],
        "checks": {**ours.get("checks", {})},
        "status": "measured",
    }
    errors = [f"{side}: {r['error']}" for side, r in (("ours", ours), ("baseline", baseline)) if "error" in r]
    if errors:
        row.update(status="error", notes=row["notes"] + errors)
        row["pass"] = False
        return row
    if row["baseline"]:
        row["ratio"] = round(row["ours"] / row["baseline"], 3)
    if item.kind == "growth":
        # The side's own checks were judged in its ratio scenario: here only the growth counts.
        row["checks"] = {}
        row["notes"] = [f"1x: {baseline.get('seconds')} s, 10x: {ours.get('seconds')} s"]
    if item.kind == "growth" and row["baseline_queries"]:
        growth = round(row["queries"] / row["baseline_queries"], 2)
        row["checks"]["query_growth"] = growth <= item.query_growth_max
        row["notes"].append(f"query growth x{growth} (at most x{item.query_growth_max})")
    row["notes"] += [f"check failed: {name}" for name, ok in row["checks"].items() if not ok]
    row["pass"] = row["ratio"] is not None and row["ratio"] <= item.target and all(row["checks"].values())
    return row


def skipped(item, reason):
    return {
        "scenario": item.name,
        "title": item.title,
        "ours": None,
        "baseline": None,
        "ratio": None,
        "target": item.target,
        "queries": None,
        "pass": None,
        "status": f"skipped: {reason}",
        "notes": [],
    }


def select(names):
    unknown = names - {s.name for s in SCENARIOS}
    if unknown:
        known = ", ".join(s.name for s in SCENARIOS)
        sys.exit(f"unknown scenario(s) {', '.join(sorted(unknown))}; known: {known}")
    return [s for s in SCENARIOS if not names or s.name in names]


def sides_db(items):
    return {side.db for item in items for side in (item.ours, item.baseline)} - {"ours_x10"}


def skip_missing(runnable, rows, ours_modules, why):
    for item in list(runnable):
        missing = [m for m in item.modules if m not in ours_modules]
        if missing:
            rows[item.name] = skipped(item, f"module {', '.join(missing)} {why}")
            runnable.remove(item)


def prepare(runnable, rows):
    """Install (or reuse) the templates; return them, dropping the scenarios they cannot serve."""
    ours_modules = landed_modules()
    needs = {"ours"} | sides_db(runnable) if runnable else set()
    templates, failed = build_templates(needs, ours_modules) if needs else ({}, [])
    if "ours" in failed:
        # A module being written may not install yet: measure the others rather than nothing.
        say(f"installing {', '.join(ours_modules)} failed (see {LOGS}): retrying with service_order only")
        ours_modules = ["service_order"]
        more_templates, failed = build_templates({"ours"}, ours_modules)
        templates.update(more_templates)
        skip_missing(runnable, rows, ours_modules, "failed to install")
    for kind in failed:
        for item in list(runnable):
            if kind in (item.ours.db, item.baseline.db):
                rows[item.name] = skipped(item, f"the {kind} database failed to install (see {LOGS})")
                runnable.remove(item)
    return templates


def generate_data(runnable, templates, paths, scale):
    summary = {}
    for kind in sorted(sides_db(runnable)):
        copy_db(templates[kind][0], DB[kind])
        say(f"generating data in {DB[kind]} at scale {scale:g}")
        call = "bench.datagen:generate" if kind == "ours" else "bench.scenarios.peer:generate"
        summary[kind] = drive(kind, call, paths[kind], {"scale": scale}, commit=True)
        say(f"  {summary[kind]}")
        if "error" in summary[kind]:
            sys.exit(f"data generation failed: {summary[kind]}")
    if any(item.kind == "growth" for item in runnable):
        copy_db(DB["ours"], DB["ours_x10"])
        say(f"adding nine times the data in {DB['ours_x10']}")
        params = {"scale": scale * 9, "tag": "x10"}
        # Fewer time records than ten times: see X10_ATTENDANCES.
        params["attendances"] = round(BASE["attendances"] * scale * (X10_ATTENDANCES - 1))
        summary["ours_x10"] = drive("ours_x10", "bench.datagen:generate", paths["ours"], params, commit=True)
        say(f"  {summary['ours_x10']}")
    return summary


def run_scenario(item, paths, scale):
    say(f"{item.name}: {item.title}")
    results = []
    for side in (item.ours, item.baseline):
        results.append(drive(side.db, side.call, paths[side.db], {"scale": scale, **side.params}))
    ours, baseline = results
    say(
        f"  ours {ours.get('seconds')} s / {ours.get('queries')} q, baseline {baseline.get('seconds')} s /"
        f" {baseline.get('queries')} q {ours.get('error', '')}{baseline.get('error', '')}"
    )
    return row_for(item, ours, baseline)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", default="")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    started = time.perf_counter()
    LOGS.mkdir(parents=True, exist_ok=True)
    chosen = select({n for n in args.scenario.split(",") if n})
    rows, runnable = {}, list(chosen)
    skip_missing(runnable, rows, landed_modules(), "not landed")
    templates = prepare(runnable, rows)
    paths = {kind: path for kind, (_name, path) in templates.items()}
    paths["ours_x10"] = paths.get("ours")
    summary = generate_data(runnable, templates, paths, args.scale)
    for item in runnable:
        rows[item.name] = run_scenario(item, paths, args.scale)
    ordered = [rows[item.name] for item in chosen]
    report(ordered, summary, args.scale, time.perf_counter() - started)
    return 1 if any(r["pass"] is False for r in ordered) else 0


# ---------------------------------------------------------------------------------- output
def fmt(value, digits=3):
    return "-" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def report(rows, summary, scale, elapsed):
    header = ["scenario", "ours (s)", "baseline (s)", "ratio", "target", "queries", "peak MB", "result"]
    table = []
    for row in rows:
        queries = "-" if row["queries"] is None else f"{row['queries']} / {row.get('baseline_queries')}"
        result = {True: "PASS", False: "FAIL", None: "-"}[row["pass"]]
        if row["status"] != "measured":
            result = row["status"] if row["pass"] is None else f"FAIL ({row['status']})"
        table.append(
            [
                row["scenario"],
                fmt(row["ours"]),
                fmt(row["baseline"]),
                fmt(row["ratio"]),
                f"<= {row['target']:g}",
                queries,
                fmt(row.get("peak_mb"), 0) if row.get("peak_mb") else "-",
                result,
            ]
        )
    widths = [max(len(str(line[i])) for line in [header, *table]) for i in range(len(header))]
    print()
    for line in [header, ["-" * w for w in widths], *table]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))
    print("\nqueries: ours / baseline.  ratio: ours / baseline time (growth scenarios: 10x / 1x).")
    for row in rows:
        for note in row.get("notes", []):
            print(f"  {row['scenario']}: {note}")
    OUT.mkdir(exist_ok=True)
    results = OUT / "bench-results.json"
    results.write_text(json.dumps(rows, indent=2, default=str))
    (OUT / "bench-data.json").write_text(json.dumps({"scale": scale, "data": summary}, indent=2, default=str))
    chart(rows, OUT / "bench-results.png")
    print(f"\nwrote {results} and {OUT / 'bench-results.png'} in {elapsed / 60:.1f} min (scale {scale:g})")


def chart(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    measured = [r for r in rows if r["ratio"] is not None]
    figure, axis = plt.subplots(figsize=(9, 0.6 * max(3, len(measured)) + 1))
    if measured:
        names = [r["scenario"] for r in measured]
        colors = ["#2e7d32" if r["pass"] else "#c62828" for r in measured]
        axis.barh(names, [r["ratio"] for r in measured], color=colors)
        axis.scatter([r["target"] for r in measured], names, marker="|", s=400, color="black", label="target")
        axis.set_xscale("log")
        axis.invert_yaxis()
        axis.legend(loc="lower right")
    axis.set_xlabel("ours / baseline (log scale; lower is better)")
    axis.set_title("Service Operations benchmark")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


if __name__ == "__main__":
    sys.exit(main())
