from unittest.mock import patch

from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ServicePlanningCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-27 09:00:00")
class TestDispatchBoard(ServicePlanningCommon):
    """The board's jobs, bookings by drag and drop and auto-plan, on the common calendar (UTC,
    Mon-Fri 8-12 and 13-17, public holiday on Wednesday 2026-12-02), on Friday 2026-11-27 at
    09:00 (so the week of 2026-11-30 is ahead)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tech_employee.service_field_staff = True
        cls.cy = cls.env["hr.employee"].create(
            {
                "name": "Cy Wrench",
                "resource_calendar_id": cls.calendar.id,
                "tz": "UTC",
                "service_field_staff": True,
            }
        )
        cls.team = cls.tech_employee | cls.cy

    def _cell(self, board, employee, day):
        row = next(r for r in board["employees"] if r["id"] == employee.id)
        return next(cell for cell in row["cells"] if cell["date"] == day)

    # ------------------------------------------------------------------ cells
    def test_cells_list_their_jobs(self):
        small = self._create_order(sold_hours=2.0, site_id=self.customer_site.id)
        monday = self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00", state="confirmed")
        overbooked = self._assign("2026-11-30 13:00:00", "2026-11-30 17:00:00", order=small)
        late = self._assign("2026-12-01 18:00:00", "2026-12-01 20:00:00")
        board = self.Assignment.get_capacity_board("2026-11-30", "2026-12-06", self.team.ids)
        cell = self._cell(board, self.tech_employee, "2026-11-30")
        self.assertEqual(
            cell["jobs"],
            [
                {
                    "id": monday.id,
                    "order_id": self.order.id,
                    "name": self.order.name,
                    "customer": "Acme Facilities",
                    "city": "Ghent",
                    "start": "2026-11-30 08:00:00",
                    "end": "2026-11-30 12:00:00",
                    "hours": 4.0,
                    "state": "confirmed",
                    "overbooked": False,
                    "outside_hours": False,
                },
                {
                    "id": overbooked.id,
                    "order_id": small.id,
                    "name": small.name,
                    "customer": "Acme Facilities",
                    "city": "Ghent",
                    "start": "2026-11-30 13:00:00",
                    "end": "2026-11-30 17:00:00",
                    "hours": 4.0,
                    "state": "planned",
                    "overbooked": True,
                    "outside_hours": False,
                },
            ],
        )
        tuesday = self._cell(board, self.tech_employee, "2026-12-01")["jobs"]
        self.assertEqual([(j["id"], j["outside_hours"]) for j in tuesday], [(late.id, True)])
        self.assertEqual(self._cell(board, self.cy, "2026-11-30")["jobs"], [])
        self.assertTrue(board["can_plan"])
        self.assertEqual(board["now"], "2026-11-27 09:00:00")

    def test_job_across_midnight_shows_on_both_days(self):
        night = self._assign("2026-12-03 22:00:00", "2026-12-04 02:00:00")
        board = self.Assignment.get_capacity_board("2026-12-03", "2026-12-04", self.tech_employee.ids)
        for day in ("2026-12-03", "2026-12-04"):
            self.assertEqual([j["id"] for j in self._cell(board, self.tech_employee, day)["jobs"]], night.ids)

    def test_board_shows_field_staff_by_default(self):
        board = self.Assignment.get_capacity_board("2026-11-30", "2026-11-30")
        shown = self.env["hr.employee"].browse([row["id"] for row in board["employees"]])
        self.assertIn(self.tech_employee, shown)
        self.assertIn(self.cy, shown)
        self.assertNotIn(self.brussels_employee, shown)
        self.assertTrue(all(shown.mapped("service_field_staff")))

    @freeze_time("2026-12-01 10:30:00")
    def test_past_slots_are_marked(self):
        board = self.Assignment.get_capacity_board("2026-11-30", "2026-12-01", self.tech_employee.ids)
        slots = [
            (slot["label"], slot["past"])
            for day in ("2026-11-30", "2026-12-01")
            for slot in self._cell(board, self.tech_employee, day)["slots"]
        ]
        # Tuesday morning has begun: still bookable from now on (the client starts it at 10:30).
        self.assertEqual(
            slots,
            [("08:00-12:00", True), ("13:00-17:00", True), ("08:00-12:00", False), ("13:00-17:00", False)],
        )

    def test_technician_gets_no_planning(self):
        board = self.Assignment.with_user(self.technician).get_capacity_board("2026-11-30", "2026-12-06")
        self.assertFalse(board["can_plan"])
        with self.assertRaises(AccessError):
            self.Assignment.with_user(self.technician).action_board_book(
                self.order.id, self.tech_employee.id, "2026-11-30 08:00:00"
            )
        with self.assertRaises(AccessError):
            self.env["service.order"].with_user(self.technician).get_board_orders()

    # ------------------------------------------------------------------ booking by drag and drop
    def test_drop_books_the_hours_left_and_hands_the_order_over(self):
        order = self._create_order(sold_hours=6.0, user_id=False, site_id=self.customer_site.id)
        self.assertEqual(order.state, "draft")
        assignment = self.Assignment.browse(
            self.Assignment.with_user(self.dispatcher).action_board_book(
                order.id, self.tech_employee.id, "2026-11-30 10:00:00"
            )
        )
        # 10-12 and 13-17: the six hours, over the lunch break.
        self.assertEqual(
            (
                str(assignment.date_start),
                str(assignment.date_end),
                assignment.planned_hours,
                assignment.state,
            ),
            ("2026-11-30 10:00:00", "2026-11-30 17:00:00", 6.0, "confirmed"),
        )
        self.assertEqual(order.state, "scheduled")
        self.assertEqual(order.user_id, self.technician)
        self.assertEqual(order.unplanned_hours, 0.0)
        self.assertEqual(str(order.next_visit), "2026-11-30 10:00:00")
        # The technician reads it at once, as My Work lists it.
        mine = (
            self.env["service.order"]
            .with_user(self.technician)
            .search([("assignment_ids.employee_id.user_id", "=", self.technician.id)])
        )
        self.assertIn(order, mine)
        board = self.Assignment.get_capacity_board("2026-11-30", "2026-11-30", self.tech_employee.ids)
        self.assertEqual(
            [j["order_id"] for j in self._cell(board, self.tech_employee, "2026-11-30")["jobs"]], order.ids
        )

    def test_responsible_is_kept(self):
        order = self._create_order(sold_hours=2.0, user_id=self.dispatcher.id)
        self.Assignment.action_board_book(order.id, self.tech_employee.id, "2026-11-30 08:00:00")
        self.assertEqual(order.user_id, self.dispatcher)

    def test_drop_is_cut_at_the_end_of_the_day_and_before_the_next_job(self):
        late = self._create_order(sold_hours=6.0)
        assignment = self.Assignment.browse(
            self.Assignment.action_board_book(late.id, self.tech_employee.id, "2026-11-30 15:00:00")
        )
        self.assertEqual((str(assignment.date_end), assignment.planned_hours), ("2026-11-30 17:00:00", 2.0))
        self.assertEqual(late.unplanned_hours, 4.0)
        self.env.company.service_travel_buffer = 30
        self._assign("2026-12-01 14:00:00", "2026-12-01 15:00:00", order=late)
        assignment = self.Assignment.browse(
            self.Assignment.action_board_book(late.id, self.tech_employee.id, "2026-12-01 10:00:00")
        )
        # Cut half an hour (the travel buffer) before the 14:00 job: 10-12 and 13-13:30.
        self.assertEqual((str(assignment.date_end), assignment.planned_hours), ("2026-12-01 13:30:00", 2.5))

    def test_drop_refusals_leave_everything_as_it_was(self):
        order = self._create_order(sold_hours=4.0, user_id=False)
        self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        count = self.Assignment.search_count([])
        cases = [
            ((order.id, self.tech_employee.id, "2026-11-26 10:00:00"), "in the past"),
            ((order.id, self.tech_employee.id, "2026-12-02 10:00:00"), "no free working time"),
            ((order.id, self.tech_employee.id, "2026-11-30 09:00:00"), "already booked"),
            ((order.id, self.tech_employee.id, "not a time"), "not a valid date"),
            (("1", self.tech_employee.id, "2026-11-30 13:00:00"), "is not a valid service order id"),
            ((order.id, [1], "2026-11-30 13:00:00"), "is not a valid employee id"),
            ((order.id, 999999, "2026-11-30 13:00:00"), "no employee 999999"),
            ((999999, self.tech_employee.id, "2026-11-30 13:00:00"), "no service order 999999"),
        ]
        for args, message in cases:
            with self.subTest(args=args), self.assertRaisesRegex(ValidationError, message):
                self.Assignment.action_board_book(*args)
        self.assertEqual(self.Assignment.search_count([]), count)
        self.assertEqual((order.state, order.user_id.id), ("draft", False))
        done = self._create_order(sold_hours=1.0)
        self.Assignment.action_board_book(done.id, self.cy.id, "2026-11-30 08:00:00")
        with self.assertRaisesRegex(ValidationError, "no hours left to plan"):
            self.Assignment.action_board_book(done.id, self.cy.id, "2026-11-30 10:00:00")

    def test_drag_moves_a_job(self):
        job = self._assign("2026-11-30 10:00:00", "2026-11-30 17:00:00", state="confirmed")
        self.assertEqual(job.planned_hours, 6.0)
        job.with_user(self.dispatcher).action_board_move(self.cy.id, "2026-12-01 08:00:00")
        self.assertEqual(
            (job.employee_id, str(job.date_start), str(job.date_end), job.planned_hours, job.state),
            (self.cy, "2026-12-01 08:00:00", "2026-12-01 15:00:00", 6.0, "confirmed"),
        )
        blocker = self._assign("2026-12-03 08:00:00", "2026-12-03 10:00:00", employee=self.cy)
        for start, message in (
            ("2026-12-04 13:00:00", "do not fit"),
            ("2026-12-03 09:00:00", "already booked"),
            ("2026-11-27 08:00:00", "in the past"),
        ):
            with self.subTest(start=start), self.assertRaisesRegex(ValidationError, message):
                job.action_board_move(self.cy.id, start)
            self.assertEqual((job.employee_id, str(job.date_start)), (self.cy, "2026-12-01 08:00:00"))
        blocker.action_cancel()
        with self.assertRaisesRegex(ValidationError, "cannot be moved"):
            blocker.action_board_move(self.cy.id, "2026-12-03 08:00:00")
        with self.assertRaises(AccessError):
            job.with_user(self.technician).action_board_move(self.cy.id, "2026-12-03 08:00:00")

    def test_a_job_without_hours_moves_with_its_length(self):
        visit = self._assign("2026-11-30 08:00:00", "2026-11-30 09:30:00", planned_hours=0.0)
        visit.action_board_move(self.cy.id, "2026-12-01 18:00:00")
        self.assertEqual(
            (visit.employee_id, str(visit.date_start), str(visit.date_end), visit.planned_hours),
            (self.cy, "2026-12-01 18:00:00", "2026-12-01 19:30:00", 0.0),
        )
        # The checks of any booking still hold: the capacity policy, here.
        self.env.company.service_capacity_policy = "block"
        with self.assertRaisesRegex(ValidationError, "outside the working hours of Cy Wrench"):
            visit.action_board_move(self.cy.id, "2026-12-03 18:00:00")

    def test_move_takes_one_job(self):
        jobs = self._assign("2026-11-30 08:00:00", "2026-11-30 09:00:00") | self._assign(
            "2026-11-30 10:00:00", "2026-11-30 11:00:00"
        )
        for records, count in ((jobs, "2"), (self.Assignment, "none")):
            with (
                self.subTest(count=count),
                self.assertRaisesRegex(UserError, f"one job at a time, not {count}"),
            ):
                records.action_board_move(self.cy.id, "2026-12-01 08:00:00")

    def test_records_of_an_unselected_company_are_named(self):
        other = self.env["res.company"].create({"name": "Other Services"})
        stranger = self.env["res.company"].create({"name": "Not Mine"})
        self.dispatcher.company_ids |= other
        far_employee = self.env["hr.employee"].create(
            {
                "name": "Otto Far",
                "company_id": other.id,
                "resource_calendar_id": False,
                "service_field_staff": True,
            }
        )
        far_order = self.env["service.order"].create(
            {"partner_id": self.customer.id, "sold_hours": 2.0, "company_id": other.id}
        )
        hidden = self.env["hr.employee"].create({"name": "Hidden", "company_id": stranger.id})
        order = self._create_order(sold_hours=2.0)
        # The company switcher on the dispatcher's own company only.
        Assignment = self.Assignment.with_user(self.dispatcher).with_context(
            allowed_company_ids=self.company.ids
        )
        cases = [
            ((far_order.id, far_employee.id), f"{far_order.name}: in Other Services, which is not selected"),
            ((order.id, far_employee.id), "Otto Far: in Other Services, which is not selected"),
            ((order.id, hidden.id), f"There is no employee {hidden.id} to plan"),
        ]
        for args, message in cases:
            with self.subTest(args=args), self.assertRaisesRegex(ValidationError, message):
                Assignment.action_board_book(*args, "2026-11-30 08:00:00")
        with self.assertRaisesRegex(ValidationError, "Otto Far: in Other Services"):
            Assignment.action_auto_plan_accept(
                [
                    {
                        "order_id": order.id,
                        "employee_id": far_employee.id,
                        "start": "2026-11-30 08:00:00",
                        "end": "2026-11-30 10:00:00",
                    }
                ]
            )
        # Once the company is selected, it plans there.
        booked = Assignment.with_context(allowed_company_ids=[other.id]).action_board_book(
            far_order.id, far_employee.id, "2026-11-30 08:00:00"
        )
        self.assertEqual(self.Assignment.browse(booked).employee_id, far_employee)

    def test_my_work_lists_the_assigned_orders_by_next_visit(self):
        Order = self.env["service.order"]
        arch = etree.fromstring(Order.get_views([(False, "search")])["views"]["search"]["arch"])
        domain = safe_eval(
            arch.xpath("//filter[@name='my_work']")[0].get("domain"), {"uid": self.technician.id}
        )
        later = self._create_order(sold_hours=2.0, user_id=self.dispatcher.id)
        sooner = self._create_order(sold_hours=2.0, user_id=self.dispatcher.id)
        self.Assignment.action_board_book(later.id, self.tech_employee.id, "2026-12-01 08:00:00")
        self.Assignment.action_board_book(sooner.id, self.tech_employee.id, "2026-11-30 08:00:00")
        kanban = self.env.ref("service_order.service_order_view_kanban_my_work")
        order = etree.fromstring(Order.get_view(kanban.id, "kanban")["arch"]).get("default_order")
        found = Order.with_user(self.technician).search(domain, order=order)
        self.assertEqual(found[:2], sooner | later)
        self.assertEqual(
            self.env.ref("service_order.user_service_technician_demo").action_id.id,
            self.env.ref("service_order.service_order_action_my_work").id,
        )

    # ------------------------------------------------------------------ side panel
    def test_unplanned_orders(self):
        tag = self.env["service.order.tag"].create({"name": "Boilers"})
        other = self.env["res.partner"].create({"name": "Zeta Labs", "is_company": True})
        urgent = self._create_order(
            sold_hours=3.0, sla_policy_id=self.sla_policy.id, tag_ids=[tag.id], site_id=self.customer_site.id
        )
        later = self._create_order(sold_hours=2.0, partner_id=other.id)
        planned = self._create_order(sold_hours=2.0)
        self._assign("2026-11-30 08:00:00", "2026-11-30 10:00:00", order=planned)
        Order = self.env["service.order"].with_user(self.dispatcher)

        def names(**filters):
            orders = Order.get_board_orders(**filters)["orders"]
            return [o["name"] for o in orders if o["id"] in (urgent | later | planned | self.order).ids]

        # The SLA deadline first, then the orders without one.
        self.assertEqual(names(), [urgent.name, self.order.name, later.name])
        self.assertEqual(names(tag_ids=[tag.id]), [urgent.name])
        self.assertEqual(names(partner_ids=[other.id]), [later.name])
        self.assertEqual(names(search="Zeta"), [later.name])
        self.assertEqual(names(sla_statuses=["on_track"]), [urgent.name])
        row = next(o for o in Order.get_board_orders()["orders"] if o["id"] == urgent.id)
        self.assertEqual(
            (row["unplanned_hours"], row["customer"], row["city"]), (3.0, "Acme Facilities", "Ghent")
        )
        for bad in ({"sla_statuses": ["late"]}, {"tag_ids": "1"}, {"limit": 0}, {"search": 3}):
            with self.subTest(bad=bad), self.assertRaises(ValidationError):
                Order.get_board_orders(**bad)

    # ------------------------------------------------------------------ auto-plan
    def test_auto_plan_proposes_without_writing(self):
        self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        first = self._create_order(sold_hours=4.0)
        second = self._create_order(sold_hours=6.0)
        third = self._create_order(sold_hours=2.0)
        in_holiday = self._create_order(sold_hours=2.0)
        nothing = self._create_order(sold_hours=0.0)
        next_week = self._create_order(sold_hours=2.0)
        straddling = self._create_order(sold_hours=2.0)
        orders = first | second | third | in_holiday | nothing | next_week | straddling
        count = self.Assignment.search_count([])
        windows = {
            in_holiday.id: (self._dt("2026-12-02 08:00:00"), self._dt("2026-12-02 17:00:00")),
            next_week.id: (self._dt("2026-12-08 08:00:00"), self._dt("2026-12-10 17:00:00")),
            # From last week to Monday before work: its part in the days asked for is a night.
            straddling.id: (self._dt("2026-11-26 08:00:00"), self._dt("2026-11-30 06:00:00")),
        }
        with patch.object(type(self.env["service.order"]), "_service_planning_windows", lambda self: windows):
            plan = self.Assignment.with_user(self.dispatcher).get_auto_plan(
                orders.ids, "2026-11-30", "2026-12-04", self.team.ids
            )
        self.assertEqual(self.Assignment.search_count([]), count)
        # Monday: Cy has 8 free hours, Ada 4 (booked in the morning). The first order goes to
        # Cy; then both have 4 and Ada comes first; the six hours of the second are cut at the
        # end of her day; the third goes to Cy's afternoon.
        self.assertEqual(
            [(p["order_id"], p["employee_id"], p["start"], p["end"], p["hours"]) for p in plan["proposals"]],
            [
                (first.id, self.cy.id, "2026-11-30 08:00:00", "2026-11-30 12:00:00", 4.0),
                (second.id, self.tech_employee.id, "2026-11-30 13:00:00", "2026-11-30 17:00:00", 4.0),
                (third.id, self.cy.id, "2026-11-30 13:00:00", "2026-11-30 15:00:00", 2.0),
            ],
        )
        reasons = {u["order_id"]: u["reason"] for u in plan["unplaced"]}
        self.assertEqual(set(reasons), {in_holiday.id, nothing.id, next_week.id, straddling.id})
        self.assertIn("in the customer's window, 2026-12-02 08:00", reasons[in_holiday.id])
        self.assertEqual(
            reasons[next_week.id],
            "The customer's window, 2026-12-08 08:00 to 2026-12-10 17:00 (UTC), is outside the days "
            "asked for, 2026-11-30 to 2026-12-04.",
        )
        self.assertIn("in the part of the customer's window", reasons[straddling.id])
        self.assertIn("Nothing left to plan", reasons[nothing.id])
        # Accept part of it: confirmed bookings, the orders scheduled.
        created = self.Assignment.browse(
            self.Assignment.with_user(self.dispatcher).action_auto_plan_accept(plan["proposals"][:2])
        )
        self.assertEqual(created.mapped("state"), ["confirmed", "confirmed"])
        self.assertEqual((first | second).mapped("state"), ["scheduled", "scheduled"])
        self.assertEqual(third.state, "draft")

    def test_auto_plan_respects_time_off_and_the_travel_buffer(self):
        self.env.company.service_travel_buffer = 30
        self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00", site_id=self.other_site.id)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Cy off",
                "resource_id": self.cy.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": "2026-11-30 00:00:00",
                "date_to": "2026-11-30 23:59:59",
            }
        )
        first = self._create_order(sold_hours=2.0)
        second = self._create_order(sold_hours=2.0)
        plan = self.Assignment.get_auto_plan((first | second).ids, "2026-11-30", "2026-11-30", self.team.ids)
        # Ada only (Cy is off): her afternoon starts 30 minutes after 12:00 at the earliest,
        # i.e. at 13:00; the second order starts half an hour after the first and is cut at 17:00.
        self.assertEqual(
            [(p["employee_id"], p["start"], p["end"], p["hours"]) for p in plan["proposals"]],
            [
                (self.tech_employee.id, "2026-11-30 13:00:00", "2026-11-30 15:00:00", 2.0),
                (self.tech_employee.id, "2026-11-30 15:30:00", "2026-11-30 17:00:00", 1.5),
            ],
        )
        self.Assignment.action_auto_plan_accept(plan["proposals"])
        self.assertEqual((first | second).mapped("state"), ["scheduled", "scheduled"])

    def test_auto_plan_reports_what_it_cannot_place(self):
        order = self._create_order(sold_hours=2.0)
        plan = self.Assignment.get_auto_plan(order.ids, "2026-12-02", "2026-12-02", self.team.ids)
        self.assertEqual(plan["proposals"], [])
        self.assertIn("from 2026-12-02 to 2026-12-02", plan["unplaced"][0]["reason"])
        for args in (("1", "2026-12-01", "2026-12-01"), ([order.id], "2026-12-04", "2026-12-01")):
            with self.subTest(args=args), self.assertRaises(ValidationError):
                self.Assignment.get_auto_plan(*args)
        for bad in ([], [{"order_id": order.id}], "x"):
            with self.subTest(bad=bad), self.assertRaises(ValidationError):
                self.Assignment.action_auto_plan_accept(bad)

    def test_auto_plan_queries_do_not_grow_with_orders_or_people(self):
        more = self.env["hr.employee"].create(
            [
                {
                    "name": f"Tech {i}",
                    "resource_calendar_id": self.calendar.id,
                    "tz": "UTC",
                    "service_field_staff": True,
                }
                for i in range(6)
            ]
        )
        orders = self.env["service.order"].create(
            [
                {"partner_id": self.customer.id, "sold_hours": 3.0, "date_start": "2026-11-27 10:00:00"}
                for _i in range(8)
            ]
        )
        self.Assignment.get_auto_plan(orders[:1].ids, "2026-11-30", "2026-11-30", self.team.ids)

        few, placed_few = self._auto_plan_queries(orders[:1].ids, self.team.ids)
        many, placed_many = self._auto_plan_queries(orders.ids, (self.team | more).ids)
        self.assertEqual((placed_few, placed_many), (1, 8))
        self.assertEqual(many, few)

    @classmethod
    def _dt(cls, value):
        return cls.env["service.assignment"]._parse_datetime(value)
