import base64

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common_job import JobCommon, png_base64


@tagged("post_install", "-at_install")
class TestJobMedia(JobCommon):
    def test_technician_adds_photos_to_their_job(self):
        order = self.order.with_user(self.technician)
        photo_id = order.action_add_photo(png_base64(), name="Boiler before.png")
        order.action_add_photo(b"data:image/png;base64," + png_base64(color="red"))
        photos = order.photo_ids
        self.assertEqual(photos[0].id, photo_id)
        self.assertEqual(photos.mapped("name"), ["Boiler before.png", f"{self.order.name} - 2"])
        self.assertEqual(photos.user_id, self.technician)
        self.assertTrue(photos[1].image)
        self.assertEqual(order.photo_count, 2)
        with self.assertRaises(AccessError):
            self.other_order.with_user(self.technician).action_add_photo(png_base64())
        with self.assertRaises(AccessError):
            self.env["service.order.photo"].with_user(self.technician).create(
                {"service_order_id": self.order.id, "name": "Direct", "image": png_base64()}
            )
        with self.assertRaises(AccessError):
            photos[0].with_user(self.technician).unlink()
        photos[0].with_user(self.dispatcher).unlink()
        self.assertEqual(self.order.photo_ids, photos[1])
        self.assertFalse(
            self.env["service.order.photo"]
            .with_user(self.technician)
            .search([("service_order_id", "=", self.other_order.id)])
        )

    def test_photo_refusals_name_the_problem(self):
        order = self.order.with_user(self.technician)
        too_large = base64.b64encode(b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024 - 2))  # one byte too many
        with self.assertRaisesRegex(ValidationError, r"The photo is too large \(10.0 MB\): at most 10 MB"):
            order.action_add_photo(too_large)
        with self.assertRaisesRegex(
            ValidationError, "The photo is a file of type application/pdf, not an image"
        ):
            order.action_add_photo(base64.b64encode(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"))
        with self.assertRaisesRegex(ValidationError, "The photo is not encoded in base64"):
            order.action_add_photo("not base64!")
        with self.assertRaisesRegex(ValidationError, "The photo is missing"):
            order.action_add_photo(None)
        with self.assertRaisesRegex(
            ValidationError, "The photo must be an image encoded in base64, not “12345”"
        ):
            order.action_add_photo(12345)
        with self.assertRaisesRegex(ValidationError, "“42” is not a valid photo name"):
            order.action_add_photo(png_base64(), name=42)
        self.assertFalse(self.order.photo_ids)

    def test_customer_signs_on_the_technicians_phone(self):
        order = self.order.with_user(self.technician)
        with freeze_time("2026-11-30 11:45:00"):
            order.action_sign(png_base64(60, 20), "  Jane Acme ")
        self.assertEqual(self.order.signed_by, "Jane Acme")
        self.assertEqual(str(self.order.signed_on), "2026-11-30 11:45:00")
        self.assertEqual(base64.b64decode(self.order.customer_signature)[:8], b"\x89PNG\r\n\x1a\n")
        with self.assertRaisesRegex(ValidationError, "“ ” is not a valid name"):
            order.action_sign(png_base64(), " ")
        with self.assertRaisesRegex(ValidationError, "The signature is a file of type .*, not an image"):
            order.action_sign(base64.b64encode(b"I agree"), "Jane Acme")
        with self.assertRaises(AccessError):
            self.other_order.with_user(self.technician).action_sign(png_base64(), "Jane Acme")

    def test_signature_is_only_set_by_signing(self):
        for user in (self.technician, self.dispatcher):
            for vals in (
                {"customer_signature": png_base64()},
                {"signed_by": "Forged"},
                {"signed_on": "2026-11-30"},
            ):
                with self.assertRaises(AccessError):
                    self.order.with_user(user).write(vals)
        self.assertFalse(self.order.signed_on)

    def test_sign_off_wizard(self):
        wizard = (
            self.env["service.order.sign"]
            .with_user(self.technician)
            .with_context(active_id=self.order.id)
            .create({"signed_by": "Jane Acme", "signature": png_base64(60, 20)})
        )
        wizard.action_confirm()
        self.assertEqual(self.order.signed_by, "Jane Acme")
        self.assertTrue(self.order.signed_on)
        with self.assertRaises(AccessError):
            self.env["service.order.sign"].with_user(self.technician).create(
                {"service_order_id": self.other_order.id, "signed_by": "Jane", "signature": png_base64()}
            ).action_confirm()

    def test_closed_job_takes_no_more_media(self):
        self.gas_check.with_user(self.technician).action_toggle()
        self.order.with_user(self.dispatcher).action_start()
        self.order.with_user(self.dispatcher).action_done()
        with self.assertRaisesRegex(UserError, "the job is closed"):
            self.order.with_user(self.technician).action_add_photo(png_base64())
        with self.assertRaisesRegex(UserError, "the job is closed"):
            self.order.with_user(self.technician).action_sign(png_base64(), "Jane Acme")
