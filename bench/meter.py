"""Measuring helpers shared by the data generator and the scenarios: timing, query counts, peak
memory, and a bulk loader that feeds PostgreSQL's COPY."""

import io
import resource
import time
from contextlib import contextmanager

from odoo.tools import SQL

# From this many rows on, a COPY drops the table's secondary indexes and exclusion constraints
# and builds them again afterwards: one build is much faster than a million index insertions,
# and the exclusion constraints (no double booking) are still checked, on the whole table.
BULK_ROWS = 50_000


class Measure:
    """What one measured block cost: wall time, SQL queries of the cursor, peak memory."""

    def __init__(self):
        self.seconds = 0.0
        self.queries = 0
        self.notes = []
        # name -> bool: conditions besides the time ratio that the scenario must meet
        self.checks = {}

    def as_dict(self):
        return {
            "seconds": round(self.seconds, 4),
            "queries": self.queries,
            "peak_mb": peak_mb(),
            "notes": self.notes,
            "checks": self.checks,
        }


def peak_mb():
    """Peak resident memory of this (Odoo) process so far, in MiB. Each scenario side runs in a
    process of its own, so this is that side's peak."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


@contextmanager
def measure(env, measure_=None):
    """Time the block and count its queries. Pending ORM writes are flushed before the clock
    starts and flushed again before it stops, so deferred work is counted where it is caused."""
    result = measure_ or Measure()
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    yield result
    env.flush_all()
    result.seconds += time.perf_counter() - start
    result.queries += env.cr.sql_log_count - queries


def summed(env, block, repeat=5):
    """Measure ``block()`` ``repeat`` times, each from a cold ORM cache, and add the runs up
    (time and queries); returns the measure and the last result. For calls of a few
    milliseconds, which one run would not time reliably."""
    total = Measure()
    value = None
    for _run in range(repeat):
        with measure(env, total):
            value = block()
    total.notes.append(f"{repeat} runs")
    return total, value


def fastest(env, block, repeat=5):
    """Measure ``block()`` ``repeat`` times, each from a cold ORM cache, and keep the fastest run
    (with its query count) and the last result. For read-only blocks of well under a second,
    where one run is at the mercy of the machine's noise: noise only ever adds time."""
    best = None
    value = None
    for _run in range(repeat):
        with measure(env) as result:
            value = block()
        if best is None or result.seconds < best.seconds:
            best = result
    best.notes.append(f"fastest of {repeat} runs")
    return best, value


def _copy_value(value):
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def required_defaults(env, model, given):
    """Values for the NOT NULL columns of ``model`` that ``given`` does not fill: the ORM's own
    defaults, so that rows loaded with COPY look like rows the ORM would have created, whatever
    columns the modules installed later add."""
    env.cr.execute(
        SQL(
            """SELECT column_name FROM information_schema.columns
                WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL""",
            env[model]._table,
        )
    )
    missing = [name for (name,) in env.cr.fetchall() if name not in given and name != "id"]
    defaults = env[model].default_get(missing)
    values = {}
    for name in missing:
        field = env[model]._fields.get(name)
        value = defaults.get(name)
        if value is None and field is not None and field.type in ("boolean",):
            value = False
        if value is None and field is not None and field.type in ("integer", "float", "monetary"):
            value = 0
        if value is None:
            raise ValueError(f"bench data: no value for the required column {model}.{name}")
        values[name] = field.convert_to_column(value, env[model]) if field else value
    return values


def copy_rows(env, model, columns, rows):
    """Insert ``rows`` (tuples in the order of ``columns``) into the table of ``model`` with one
    COPY and return their new ids in the same order. The audit columns are filled here; any other
    required column takes the ORM default. The ORM cache is invalidated afterwards."""
    if not rows:
        return []
    table = env[model]._table
    now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    audit = {"create_uid": env.uid, "write_uid": env.uid, "create_date": now, "write_date": now}
    audit = {k: v for k, v in audit.items() if k in env[model]._fields and k not in columns}
    extra = required_defaults(env, model, set(columns) | set(audit))
    extra.update(audit)
    all_columns = list(columns) + list(extra)
    tail = "\t".join(_copy_value(v) for v in extra.values())
    env.flush_all()
    env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
    before = env.cr.fetchone()[0]
    buffer = io.StringIO()
    for row in rows:
        line = "\t".join(_copy_value(v) for v in row)
        buffer.write(f"{line}\t{tail}\n" if tail else f"{line}\n")
    buffer.seek(0)
    column_list = ", ".join(f'"{c}"' for c in all_columns)
    with bulk_load(env, table, len(rows) >= BULK_ROWS):
        env.cr._obj.copy_expert(f'COPY "{table}" ({column_list}) FROM STDIN', buffer)
    env.cr.execute(SQL("SELECT id FROM %s WHERE id > %s ORDER BY id", SQL.identifier(table), before))
    ids = [i for (i,) in env.cr.fetchall()]
    env.invalidate_all()
    if len(ids) != len(rows):
        raise RuntimeError(f"bench data: COPY into {table} gave {len(ids)} ids for {len(rows)} rows")
    return ids


@contextmanager
def bulk_load(env, table, bulk=True):
    """Around a bulk insert into ``table``: without its secondary indexes and exclusion
    constraints, built again (and checked, on the whole table) at the end."""
    suspended = _suspend_indexes(env, table) if bulk else ([], [])
    # Memory for the index builds of millions of rows, for this transaction only.
    env.cr.execute(SQL("SET LOCAL maintenance_work_mem = '1GB'"))
    yield
    _restore_indexes(env, table, *suspended)


def _suspend_indexes(env, table):
    env.cr.execute(
        SQL(
            """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = %s::regclass AND contype = 'x'""",
            table,
        )
    )
    constraints = env.cr.fetchall()
    for name, _definition in constraints:
        env.cr.execute(SQL("ALTER TABLE %s DROP CONSTRAINT %s", SQL.identifier(table), SQL.identifier(name)))
    env.cr.execute(
        SQL(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.tablename = %s
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            table,
        )
    )
    indexes = env.cr.fetchall()
    for name, _definition in indexes:
        env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    return constraints, indexes


def _restore_indexes(env, table, constraints, indexes):
    for _name, definition in indexes:
        env.cr.execute(SQL(definition))
    for name, definition in constraints:
        env.cr.execute(
            SQL(
                "ALTER TABLE %s ADD CONSTRAINT %s %s",
                SQL.identifier(table),
                SQL.identifier(name),
                SQL(definition),
            )
        )
