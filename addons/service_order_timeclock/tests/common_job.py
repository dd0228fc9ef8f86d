import base64
import io

from PIL import Image

from odoo.fields import Command

from .common import TimeClockCommon


def png_base64(width=4, height=3, color="navy"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue())


class JobCommon(TimeClockCommon):
    """On top of the time clock fixtures: a boiler checklist (one required check, one optional)
    loaded onto the order Ada is assigned to, and an order of the same customer she does not work
    on, with its own checklist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["service.checklist.template"].create(
            {
                "name": "Boiler maintenance",
                "item_ids": [
                    Command.create({"sequence": 10, "name": "Gas leak test passed", "required": True}),
                    Command.create({"sequence": 20, "name": "Magnetic filter cleaned"}),
                ],
            }
        )
        cls.order.checklist_template_id = cls.template
        cls.order.with_user(cls.dispatcher).action_load_checklist()
        cls.gas_check, cls.filter_check = cls.order.checklist_item_ids
        cls.other_order = cls._create_order(checklist_template_id=cls.template.id)
        cls.other_order.with_user(cls.dispatcher).action_load_checklist()
