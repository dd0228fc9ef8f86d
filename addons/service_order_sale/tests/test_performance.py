from odoo.tests import tagged

from .common import ServiceOrderSaleCommon


@tagged("post_install", "-at_install")
class TestPerformance(ServiceOrderSaleCommon):
    def _confirm_queries(self, quote):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        quote.action_confirm()
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_confirmation_queries_do_not_grow_with_the_lines(self):
        # Warm the caches (ir.model.data, sequences, templates) with a first confirmation.
        self._confirm_queries(self._create_quote([(self.product_hour, 1), (self.product_day, 1)]))
        one_line = self._create_quote([(self.product_hour, 1)])
        hundred_lines = self._create_quote([(self.product_hour, 1)] * 100)
        self.assertEqual(self._confirm_queries(hundred_lines), self._confirm_queries(one_line))
        self.assertEqual(len(hundred_lines.service_order_ids.sale_line_ids), 100)
        self.assertEqual(hundred_lines.service_order_ids.sold_hours, 100.0)

        # The same with two units to convert: one query more for the second unit, not per line.
        two_units = self._create_quote([(self.product_hour, 1), (self.product_day, 1)])
        hundred_mixed = self._create_quote([(self.product_hour, 1)] * 50 + [(self.product_day, 1)] * 50)
        self.assertEqual(self._confirm_queries(hundred_mixed), self._confirm_queries(two_units))
        self.assertEqual(hundred_mixed.service_order_ids.sold_hours, 50 + 50 * 8)

    def test_generation_queries_do_not_grow_with_the_sales(self):
        self._confirm_queries(self._create_quote([(self.product_hour, 1)]))
        counts = []
        for size in (1, 10):
            quotes = self.env["sale.order"].union(
                *(self._create_quote([(self.product_hour, 2)]) for _index in range(size))
            )
            quotes.write({"state": "sale"})
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            quotes.order_line._service_order_generation()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - start)
            self.assertEqual(len(quotes.service_order_ids), size)
            self.assertEqual(set(quotes.service_order_ids.mapped("sold_hours")), {2.0})
        self.assertEqual(counts[0], counts[1], "one create for all sales, no query per sale or line")
