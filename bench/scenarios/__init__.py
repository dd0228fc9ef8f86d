"""The scenario registry.

A scenario compares two sides measured in the same run: ``ours`` and a ``baseline`` (Odoo's own
flow, raw SQL, or the OCA field-service peer). Each side is a function ``f(env, **params)``
returning a dict with at least ``seconds`` and ``queries`` (see `bench.meter.measure`), run by
`bench/driver.py` in a process of its own against one of the benchmark databases:

- ``ours``: our modules plus the Odoo modules of the baselines, with the generated data;
- ``peer``: the OCA field-service modules with the same volume of orders;
- ``ours_x10``: a copy of ``ours`` with ten times the data (for ``kind="growth"`` scenarios,
  whose ratio is the growth factor of the same call from 1x to 10x).

A scenario names the modules of ours it needs; when one is not in addons/ (or failed to
install), the table lists it as skipped with the reason.
"""

from dataclasses import dataclass, field


@dataclass
class Side:
    db: str
    call: str
    params: dict = field(default_factory=dict)
    label: str = ""


@dataclass
class Scenario:
    name: str
    title: str
    modules: tuple
    ours: Side
    baseline: Side
    target: float
    kind: str = "ratio"
    # growth scenarios: the largest acceptable growth of the query count from 1x to 10x
    query_growth_max: float | None = None


SCENARIOS = []


def scenario(**kwargs):
    SCENARIOS.append(Scenario(**kwargs))


# The modules register their scenarios; the table follows this order.
from . import orders, peer, planning, sale, timeclock, timeclock_http  # noqa: E402, I001
from . import kpi  # noqa: E402
from . import billing  # noqa: E402
