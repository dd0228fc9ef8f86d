"""The OCA field-service peer (fieldservice, fieldservice_sale, base_territory 19.0 from PyPI),
in a database of its own: the same volume of orders, and its flows measured like ours."""

import random
from datetime import timedelta

from bench.datagen import BASE, DAYS_AHEAD, DAYS_BACK, recompute_stored
from bench.meter import copy_rows
from odoo import fields
from odoo.tools import SQL

from .orders import list_pages

# Our states and the peer's stages that mean the same.
STAGES = {
    "draft": "fieldservice.fsm_stage_new",
    "scheduled": "Scheduled",
    "in_progress": "In Progress",
    "done": "fieldservice.fsm_stage_completed",
    "cancelled": "fieldservice.fsm_stage_cancelled",
}
STATE_WEIGHTS = {"draft": 3, "scheduled": 8, "in_progress": 2, "done": 84, "cancelled": 3}


def stages(env):
    result = {}
    for state, ref in STAGES.items():
        if "." in ref:
            result[state] = env.ref(ref)
            continue
        stage = env["fsm.stage"].search([("name", "=", ref), ("stage_type", "=", "order")], limit=1)
        result[state] = stage or env["fsm.stage"].create(
            {"name": ref, "stage_type": "order", "sequence": 5 if state == "scheduled" else 6}
        )
    return result


def generate(env, scale=1.0, seed=42):
    """Locations and orders spread like ours: one year back, two months ahead, mostly done."""
    rng = random.Random(seed)
    customers = max(1, round(BASE["customers"] * scale))
    count = max(1, round(BASE["orders"] * scale))
    owners = env["res.partner"].create(
        [{"name": f"Customer x1-{i + 1:05d}", "is_company": True} for i in range(customers)]
    )
    locations = env["fsm.location"].create(
        [{"name": f"Site {o.name}", "owner_id": o.id, "street": "1 Service Street"} for o in owners]
    )
    by_state = stages(env)
    team = env["fsm.team"].search([], limit=1)
    now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
    span = (DAYS_BACK + DAYS_AHEAD) * 24
    rows = []
    for index in range(count):
        start = now - timedelta(days=DAYS_BACK) + timedelta(hours=rng.randrange(span))
        state = (
            rng.choices(list(STATE_WEIGHTS), list(STATE_WEIGHTS.values()))[0]
            if start < now
            else rng.choice(["draft", "scheduled"])
        )
        hours = rng.choice([2.0, 4.0, 8.0, 16.0])
        rows.append(
            (
                f"FSO-{index + 1:06d}",
                rng.choice(locations).id,
                by_state[state].id,
                team.id,
                env.company.id,
                rng.choices(["0", "1", "2"], [80, 15, 5])[0],
                start,
                hours,
                start + timedelta(hours=hours),
                start,
                start + timedelta(hours=48),
            )
        )
    columns = [
        "name",
        "location_id",
        "stage_id",
        "team_id",
        "company_id",
        "priority",
        "scheduled_date_start",
        "scheduled_duration",
        "scheduled_date_end",
        "request_early",
        "request_late",
    ]
    ids = copy_rows(env, "fsm.order", columns, rows)
    recompute_stored(env, "fsm.order", ids, columns)
    env.cr.execute(SQL("ANALYZE fsm_order"))
    return {"fsm_locations": len(locations), "fsm_orders": len(ids)}


def peer_list(env, scale=1.0):
    """The peer's list view calls for the same filters as ours (stage for state)."""
    by_state = stages(env)
    spec = {
        "name": {},
        "location_id": {"fields": {"display_name": {}}},
        "person_id": {"fields": {"display_name": {}}},
        "scheduled_date_start": {},
        "stage_id": {"fields": {"display_name": {}}},
        "priority": {},
        "scheduled_duration": {},
        "team_id": {"fields": {"display_name": {}}},
    }
    return list_pages(
        env,
        "fsm.order",
        spec,
        lambda states, date_from, date_to: [
            ("stage_id", "in", [by_state[state].id for state in states]),
            ("scheduled_date_start", ">=", date_from),
            ("scheduled_date_start", "<", date_to),
        ],
    )
