from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestServiceOrderTranslations(ServiceOrderCommon):
    """The French translation shipped in i18n/fr.po reaches a French-speaking user: field labels,
    selection values and the messages of our own errors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["service_order"], ["fr_FR"], overwrite=True)
        cls.french_dispatcher = new_test_user(
            cls.env,
            "svc_test_dispatcher_fr",
            "service_order.group_service_dispatcher",
            company_id=cls.company.id,
            lang="fr_FR",
        )

    def _as_french_dispatcher(self, records):
        # The web client sends the user's own context, language included, with every call.
        records = records.with_user(self.french_dispatcher)
        return records.with_context(**records.env["res.users"].context_get())

    def test_field_label_and_state_value_in_french(self):
        description = self._as_french_dispatcher(self.env["service.order"]).fields_get(
            ["sold_hours", "state"], ["string", "selection"]
        )
        self.assertEqual(description["sold_hours"]["string"], "Heures vendues")
        self.assertEqual(dict(description["state"]["selection"])["done"], "Terminé")

    def test_refused_state_change_explained_in_french(self):
        order = self._as_french_dispatcher(self._create_order())
        with self.assertRaises(UserError) as caught:
            order.action_done()
        self.assertEqual(
            caught.exception.args[0],
            f"Impossible de passer {order.name} (Brouillon) à l'état Terminé : "
            "seuls les ordres à l'état En cours / Programmé peuvent y passer.",
        )
