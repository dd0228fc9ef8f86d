from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .common import ServicePlanningCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-27 09:00:00")
class TestRequiredSkills(ServicePlanningCommon):
    """Auto-plan and the board with required skills, on the common calendar (UTC, Mon-Fri 8-12
    and 13-17, public holiday on Wednesday 2026-12-02), planning the week of 2026-11-30.

    Ada has Gas and Electrical, Cy has Electrical, Dee had Roofing until Tuesday 2026-12-01."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        trades = cls.env["hr.skill.type"].create(
            {
                "name": "Trades",
                "skill_ids": [Command.create({"name": name}) for name in ("Gas", "Electrical", "Roofing")],
                "skill_level_ids": [Command.create({"name": "Certified", "level_progress": 100})],
            }
        )
        skills = {skill.name: skill for skill in trades.skill_ids}
        cls.gas, cls.electrical, cls.roofing = skills["Gas"], skills["Electrical"], skills["Roofing"]
        level = trades.skill_level_ids
        cls.cy = cls.env["hr.employee"].create(
            {"name": "Cy Wrench", "resource_calendar_id": cls.calendar.id, "tz": "UTC"}
        )
        cls.dee = cls.env["hr.employee"].create(
            {"name": "Dee Roof", "resource_calendar_id": cls.calendar.id, "tz": "UTC"}
        )
        cls.team = cls.tech_employee | cls.cy | cls.dee
        cls.team.service_field_staff = True

        def held(employee, skill, **values):
            return {
                "employee_id": employee.id,
                "skill_type_id": trades.id,
                "skill_id": skill.id,
                "skill_level_id": level.id,
                "valid_from": "2026-01-01",
                **values,
            }

        cls.env["hr.employee.skill"].create(
            [
                held(cls.tech_employee, cls.gas),
                held(cls.tech_employee, cls.electrical),
                held(cls.cy, cls.electrical),
                held(cls.dee, cls.roofing, valid_to="2026-12-01"),
            ]
        )

    def _plan(self, orders, first="2026-11-30", last="2026-12-04"):
        plan = self.Assignment.with_user(self.dispatcher).get_auto_plan(
            orders.ids, first, last, self.team.ids
        )
        return (
            [(p["order_id"], p["employee_id"], p["start"], p["end"]) for p in plan["proposals"]],
            {u["order_id"]: u["reason"] for u in plan["unplaced"]},
        )

    def test_products_give_their_skills_to_the_order(self):
        boiler = self.env["product.product"].create(
            {"name": "Boiler service", "type": "service", "service_skill_ids": [Command.set(self.gas.ids)]}
        )
        self.assertEqual(boiler.product_tmpl_id.service_skill_ids, self.gas)
        # Without a module that knows the order's products, the dispatcher sets them.
        order = self._create_order(sold_hours=2.0, skill_ids=[Command.set(self.electrical.ids)])
        self.assertEqual(order.skill_ids, self.electrical)
        self.assertEqual(self._create_order(sold_hours=1.0).skill_ids, self.env["hr.skill"])

    def test_forged_skills_are_refused_by_name(self):
        order = self._create_order(sold_hours=2.0, skill_ids=[Command.set(self.gas.ids)])
        as_dispatcher = order.with_user(self.dispatcher)
        missing = max(self.env["hr.skill"].search([]).ids) + 1000
        for value, shown in (
            ([Command.set([missing])], str(missing)),
            ([Command.link("gas")], "'gas'"),
            ([Command.set([True])], "True"),
            (7, "7"),
        ):
            with self.subTest(value=value), self.assertRaisesRegex(ValidationError, f"no skill {shown}"):
                as_dispatcher.write({"skill_ids": value})
        with self.assertRaisesRegex(ValidationError, f"no skill {missing}"):
            self._create_order(sold_hours=1.0, skill_ids=[Command.link(missing)])
        self.assertEqual(order.skill_ids, self.gas, "nothing was changed")

    def test_only_people_with_all_the_skills_get_the_order(self):
        # Monday: Cy and Dee have 8 free hours, Ada 4 (booked in the morning). Without skills the
        # first order would go to Cy (most free time, first by name among equals).
        self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        gas = self._create_order(sold_hours=2.0, skill_ids=[Command.set(self.gas.ids)])
        both = self._create_order(sold_hours=2.0, skill_ids=[Command.set((self.gas | self.electrical).ids)])
        electrical = self._create_order(sold_hours=3.0, skill_ids=[Command.set(self.electrical.ids)])
        anyone = self._create_order(sold_hours=4.0)
        proposals, unplaced = self._plan(gas | both | electrical | anyone)
        self.assertEqual(unplaced, {})
        self.assertEqual(
            sorted(proposals),
            sorted(
                [
                    # Only Ada has Gas: her afternoon, then what is left of it.
                    (gas.id, self.tech_employee.id, "2026-11-30 13:00:00", "2026-11-30 15:00:00"),
                    (both.id, self.tech_employee.id, "2026-11-30 15:00:00", "2026-11-30 17:00:00"),
                    # Electrical: Ada (no time left on Monday) or Cy, who has the most free time.
                    (electrical.id, self.cy.id, "2026-11-30 08:00:00", "2026-11-30 11:00:00"),
                    # No skill needed: Dee, with all of Monday free.
                    (anyone.id, self.dee.id, "2026-11-30 08:00:00", "2026-11-30 12:00:00"),
                ]
            ),
        )

    def test_orders_nobody_is_qualified_for_say_which_skill(self):
        roof = self._create_order(sold_hours=2.0, skill_ids=[Command.set(self.roofing.ids)])
        gas_roof = self._create_order(sold_hours=2.0, skill_ids=[Command.set((self.gas | self.roofing).ids)])
        gas_electrical = self._create_order(
            sold_hours=2.0, skill_ids=[Command.set((self.gas | self.electrical).ids)]
        )
        # Dee's Roofing expires on Tuesday: it does not count for the week.
        proposals, unplaced = self._plan(roof | gas_roof | gas_electrical)
        self.assertEqual(
            unplaced,
            {
                roof.id: "No one on the board has the skill Roofing.",
                gas_roof.id: "No one on the board has the skill Roofing.",
            },
        )
        self.assertEqual([p[:2] for p in proposals], [(gas_electrical.id, self.tech_employee.id)])
        # On Monday it does; Ada has Gas, Dee Roofing, but nobody has both.
        proposals, unplaced = self._plan(roof | gas_roof, last="2026-11-30")
        self.assertEqual(proposals, [(roof.id, self.dee.id, "2026-11-30 08:00:00", "2026-11-30 10:00:00")])
        self.assertEqual(
            unplaced, {gas_roof.id: "No one on the board has all the required skills: Gas, Roofing."}
        )
        # Skilled people without free time (the public holiday): the usual reason.
        proposals, unplaced = self._plan(gas_electrical, first="2026-12-02", last="2026-12-02")
        self.assertEqual(
            unplaced, {gas_electrical.id: "Nobody has free working time from 2026-12-02 to 2026-12-02."}
        )

    def test_board_lists_the_skills_of_each_person(self):
        board = self.Assignment.with_user(self.dispatcher).get_capacity_board(
            "2026-11-30", "2026-12-06", self.team.ids
        )
        rows = {row["id"]: row["skill_ids"] for row in board["employees"]}
        self.assertEqual(
            rows,
            {
                self.tech_employee.id: sorted((self.gas | self.electrical).ids),
                self.cy.id: self.electrical.ids,
                self.dee.id: self.roofing.ids,
            },
        )
        self.assertEqual(
            board["skills"],
            [[self.electrical.id, "Electrical"], [self.gas.id, "Gas"], [self.roofing.id, "Roofing"]],
        )

    def test_auto_plan_reads_the_skills_in_one_query(self):
        orders = self.env["service.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "sold_hours": 1.0,
                    "skill_ids": [Command.set(skills.ids)],
                }
                for skills in (self.gas, self.electrical, self.gas | self.electrical) * 3
            ]
        )
        self.Assignment.get_auto_plan(orders[:1].ids, "2026-11-30", "2026-11-30", self.team.ids)

        few, placed_few = self._auto_plan_queries(orders[:1].ids, self.tech_employee.ids)
        many, placed_many = self._auto_plan_queries(orders.ids, self.team.ids)
        self.assertEqual((placed_few, placed_many), (1, 9))
        self.assertEqual(many, few)
