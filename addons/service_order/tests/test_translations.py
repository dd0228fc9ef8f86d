import re
from collections import Counter
from pathlib import Path

from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.translate import PoFileReader

from .common import ServiceOrderCommon

# The placeholders Odoo fills in a message: %(name)s and %s (with any format spec, as in
# %(size).1f), and {name} (QWeb, inline templates). A translation that drops, renames or adds
# one fails at run time (KeyError, TypeError) or shows the raw placeholder to the user.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0+]*\d*(?:\.\d+)?[sdfr]|\{[^{}]*\}")
SHIPPED_LANGS = ("fr", "de", "es")


@tagged("post_install", "-at_install")
class TestShippedTranslations(TransactionCase):
    """Every .po file shipped by a module of this project translates every message of the
    module's template, with the same placeholders as the English message."""

    def _project_modules(self):
        # The project's addons directory is where the installed service_order* modules live;
        # every module in it is checked, installed in this database or not.
        installed = self.env["ir.module.module"].search(
            [("name", "=like", "service\\_order%"), ("state", "=", "installed")]
        )
        addons_dirs = {Path(get_module_path(module.name)).parent for module in installed}
        self.assertTrue(addons_dirs, "No service_order module is installed.")
        return sorted(
            path
            for addons_dir in addons_dirs
            for path in addons_dir.iterdir()
            if (path / "__manifest__.py").is_file()
        )

    @staticmethod
    def _translations(path):
        # Odoo's own reader, the one that loads the file into the database: given a .po path
        # it merges the module's .pot, so a message missing from the .po comes back untranslated.
        return {entry["src"]: entry["value"] for entry in PoFileReader(str(path))}

    def _problems(self, po_path, template):
        translations = self._translations(po_path)
        problems = []
        for source in template:
            translation = translations.get(source)
            if not translation:
                problems.append(f"not translated: {source!r}")
            elif Counter(PLACEHOLDER.findall(translation)) != Counter(PLACEHOLDER.findall(source)):
                problems.append(
                    f"placeholders differ: {source!r} has {sorted(PLACEHOLDER.findall(source))}, "
                    f"{translation!r} has {sorted(PLACEHOLDER.findall(translation))}"
                )
        return problems

    def test_every_message_translated_with_its_placeholders(self):
        modules = self._project_modules()
        shipped = Counter()
        for module_path in modules:
            pot_path = module_path / "i18n" / f"{module_path.name}.pot"
            self.assertTrue(pot_path.is_file(), f"{module_path.name} ships no template {pot_path}")
            template = {entry["src"] for entry in PoFileReader(str(pot_path))}
            for po_path in sorted(pot_path.parent.glob("*.po")):
                shipped[po_path.stem] += 1
                with self.subTest(module=module_path.name, lang=po_path.stem):
                    problems = self._problems(po_path, template)
                    self.assertFalse(problems, f"{po_path}:\n" + "\n".join(problems))
        self.assertEqual(
            {lang: shipped[lang] for lang in SHIPPED_LANGS},
            dict.fromkeys(SHIPPED_LANGS, len(modules)),
            "Every module of the project ships French, German and Spanish.",
        )

    def test_placeholder_pattern(self):
        # The pattern itself: what it must catch, and the percent signs it must leave alone.
        self.assertEqual(
            PLACEHOLDER.findall("%(size).1f MB, %s and %d of {{ object.name }} (%) 100 % done"),
            ["%(size).1f", "%s", "%d", "{ object.name }"],
        )


@tagged("post_install", "-at_install")
class TestServiceOrderTranslations(ServiceOrderCommon):
    """The translations shipped in i18n/fr.po and i18n/de.po reach a French- or German-speaking
    user: field labels, selection values and the messages of our own errors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("fr_FR", "de_DE"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(["service_order"], ["fr_FR", "de_DE"], overwrite=True)
        cls.french_dispatcher = cls._dispatcher("svc_test_dispatcher_fr", "fr_FR")
        cls.german_dispatcher = cls._dispatcher("svc_test_dispatcher_de", "de_DE")

    @classmethod
    def _dispatcher(cls, login, lang):
        return new_test_user(
            cls.env, login, "service_order.group_service_dispatcher", company_id=cls.company.id, lang=lang
        )

    @staticmethod
    def _as_user(user, records):
        # The web client sends the user's own context, language included, with every call.
        records = records.with_user(user)
        return records.with_context(**records.env["res.users"].context_get())

    def _done_refusal(self, user):
        """A draft order cannot be marked as done: the order and the message the user gets."""
        order = self._as_user(user, self._create_order())
        with self.assertRaises(UserError) as caught:
            order.action_done()
        return order, caught.exception.args[0]

    def test_field_label_and_state_value_in_french(self):
        description = self._as_user(self.french_dispatcher, self.env["service.order"]).fields_get(
            ["sold_hours", "state"], ["string", "selection"]
        )
        self.assertEqual(description["sold_hours"]["string"], "Heures vendues")
        self.assertEqual(dict(description["state"]["selection"])["done"], "Terminé")

    def test_refused_state_change_explained_in_french(self):
        order, message = self._done_refusal(self.french_dispatcher)
        self.assertEqual(
            message,
            f"Impossible de passer {order.name} (Brouillon) à l'état Terminé : "
            "seuls les ordres à l'état En cours / Programmé peuvent y passer.",
        )

    def test_field_label_and_error_in_german(self):
        description = self._as_user(self.german_dispatcher, self.env["service.order"]).fields_get(
            ["sold_hours"], ["string"]
        )
        self.assertEqual(description["sold_hours"]["string"], "Verkaufte Stunden")
        order, message = self._done_refusal(self.german_dispatcher)
        self.assertEqual(
            message,
            f"{order.name} (Entwurf) kann nicht in den Status Erledigt versetzt werden: "
            "nur Aufträge im Status In Bearbeitung / Eingeplant können dorthin wechseln.",
        )
