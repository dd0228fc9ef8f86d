from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .common_job import JobCommon


@tagged("post_install", "-at_install")
class TestChecklist(JobCommon):
    def test_loading_copies_the_template_once(self):
        self.assertEqual(
            self.order.checklist_item_ids.mapped("name"), ["Gas leak test passed", "Magnetic filter cleaned"]
        )
        self.assertEqual(self.order.checklist_item_ids.mapped("required"), [True, False])
        self.template.item_ids = [
            Command.create({"sequence": 30, "name": "Flue gas analysed", "required": True})
        ]
        self.order.with_user(self.dispatcher).action_load_checklist()
        self.assertEqual(len(self.order.checklist_item_ids), 3, "only the new check is added")
        self.assertEqual(self.order.checklist_open_count, 2)
        with self.assertRaisesRegex(AccessError, "Only dispatchers"):
            self.order.with_user(self.technician).action_load_checklist()

    def test_required_check_blocks_finishing_the_job(self):
        job = self.as_tech()
        with freeze_time("2026-11-30 08:00:00"):
            job.action_clock_in()
        with freeze_time("2026-11-30 10:00:00"), self.assertRaises(UserError) as caught:
            job.action_finish()
        self.assertRegex(
            str(caught.exception), rf"{self.order.name} cannot be completed: .*“Gas leak test passed”"
        )
        self.assertNotIn("Magnetic filter cleaned", str(caught.exception))
        self.assertEqual(self.assignment.state, "confirmed")
        self.assertEqual(self.assignment.clock_state, "work", "the refused finish left the clock running")
        self.gas_check.with_user(self.technician).action_toggle()
        with freeze_time("2026-11-30 10:00:00"):
            job.action_finish()
        self.assertEqual(self.assignment.state, "done")
        self.assertEqual(self.order.state, "done", "the optional check does not block")
        self.assertEqual(str(self.order.date_resolved), "2026-11-30 10:00:00")

    def test_only_the_last_open_job_needs_the_checklist(self):
        colleague = self._assign(
            "2026-11-30 08:00:00", "2026-11-30 12:00:00", employee=self.brussels_employee, state="confirmed"
        )
        with freeze_time("2026-11-30 08:00:00"):
            self.as_tech().action_clock_in()
        with freeze_time("2026-11-30 09:00:00"):
            self.as_tech().action_finish()
        self.assertEqual(self.assignment.state, "done", "a colleague still on site may tick the checks")
        self.assertEqual(self.order.state, "in_progress")
        with self.assertRaisesRegex(UserError, "Gas leak test passed"):
            colleague.with_user(self.dispatcher).action_finish()
        self.gas_check.with_user(self.dispatcher).action_toggle()
        colleague.with_user(self.dispatcher).action_finish()
        self.assertEqual(self.order.state, "done")

    def test_marking_the_order_done_needs_the_required_checks(self):
        self.order.with_user(self.dispatcher).action_start()
        with self.assertRaisesRegex(
            UserError, rf"{self.order.name} cannot be completed: .*“Gas leak test passed”"
        ):
            self.order.with_user(self.dispatcher).action_done()
        self.assertEqual(self.order.state, "in_progress")
        self.gas_check.with_user(self.technician).action_toggle()
        self.order.with_user(self.dispatcher).action_done()
        self.assertEqual(self.order.state, "done")

    def test_technician_ticks_on_their_order(self):
        check = self.gas_check.with_user(self.technician)
        with freeze_time("2026-11-30 09:15:00"):
            check.action_toggle()
        self.assertTrue(self.gas_check.is_done)
        self.assertEqual(self.gas_check.done_by_id, self.technician)
        self.assertEqual(str(self.gas_check.done_on), "2026-11-30 09:15:00")
        self.assertEqual(self.order.checklist_open_count, 0)
        check.action_toggle()
        self.assertFalse(self.gas_check.is_done)
        self.assertFalse(self.gas_check.done_by_id)
        self.assertFalse(self.gas_check.done_on)

    def test_ticking_on_another_order_is_refused(self):
        other_check = self.other_order.checklist_item_ids[0]
        with self.assertRaises(AccessError):
            other_check.with_user(self.technician).action_toggle()
        # The order decides, whatever the caller could read of the check.
        with self.assertRaises(AccessError):
            self.other_order.with_user(self.technician)._check_job_access()
        self.other_order.with_user(self.dispatcher)._check_job_access()
        self.assertFalse(other_check.is_done)

    def test_ticks_are_recorded_never_written(self):
        for user in (self.technician, self.dispatcher, self.manager):
            with self.assertRaises(AccessError):
                self.gas_check.with_user(user).write({"is_done": True})
        with self.assertRaisesRegex(AccessError, "recorded when the item is ticked"):
            self.env["service.order.checklist.item"].with_user(self.dispatcher).create(
                {"service_order_id": self.order.id, "name": "Pre-ticked", "is_done": True}
            )
        self.assertFalse(self.gas_check.is_done)

    def test_closed_orders_keep_their_checklist(self):
        self.gas_check.with_user(self.technician).action_toggle()
        self.order.with_user(self.dispatcher).action_start()
        self.order.with_user(self.dispatcher).action_done()
        with self.assertRaisesRegex(UserError, rf"{self.order.name} \(Done\): the job is closed"):
            self.gas_check.with_user(self.technician).action_toggle()
        self.assertTrue(self.gas_check.is_done)

    def test_access_per_group(self):
        Template = self.env["service.checklist.template"]
        Item = self.env["service.order.checklist.item"]
        # Technicians read the templates and the checks of their orders, and change neither.
        self.assertEqual(
            Template.with_user(self.technician).search([("id", "=", self.template.id)]), self.template
        )
        self.assertEqual(
            Item.with_user(self.technician).search(
                [("service_order_id", "in", (self.order | self.other_order).ids)]
            ),
            self.order.checklist_item_ids,
        )
        with self.assertRaises(AccessError):
            Template.with_user(self.technician).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            Item.with_user(self.technician).create({"service_order_id": self.order.id, "name": "Extra"})
        with self.assertRaises(AccessError):
            self.gas_check.with_user(self.technician).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.gas_check.with_user(self.technician).unlink()
        # Dispatchers manage templates and the checks of every order.
        template = Template.with_user(self.dispatcher).create(
            {
                "name": "Heat pump",
                "item_ids": [Command.create({"name": "Refrigerant level checked", "required": True})],
            }
        )
        self.other_order.with_user(self.dispatcher).write({"checklist_template_id": template.id})
        self.other_order.with_user(self.dispatcher).action_load_checklist()
        self.assertIn("Refrigerant level checked", self.other_order.checklist_item_ids.mapped("name"))
        self.other_order.checklist_item_ids[0].with_user(self.dispatcher).write(
            {"name": "Gas leak test (CO)"}
        )
        # The template on the order is the dispatcher's to choose.
        with self.assertRaisesRegex(AccessError, "Only dispatchers can change Checklist"):
            self.order.with_user(self.technician).write({"checklist_template_id": template.id})
