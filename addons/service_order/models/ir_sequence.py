from odoo import fields, models
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    def _service_next_batch(self, count, sequence_date=None):
        """Draw ``count`` consecutive references in one query, where ``_next()`` would take one
        query per reference: creating thousands of orders must not cost a round trip each."""
        self.ensure_one()
        if self.implementation != "standard":
            return [self._next(sequence_date=sequence_date) for _i in range(count)]
        day = fields.Date.to_date(sequence_date) or fields.Date.context_today(self)
        sequence = self.with_context(ir_sequence_date=day)
        pg_name = f"ir_sequence_{self.id:03d}"
        if self.use_date_range:
            date_range = self.env["ir.sequence.date_range"].search(
                [("sequence_id", "=", self.id), ("date_from", "<=", day), ("date_to", ">=", day)], limit=1
            ) or self._create_date_range_seq(day)
            sequence = sequence.with_context(ir_sequence_date_range=date_range.date_from)
            pg_name = f"{pg_name}_{date_range.id:03d}"
        self.env.cr.execute(SQL("SELECT nextval(%s) FROM generate_series(1, %s)", pg_name, count))
        return [sequence.get_next_char(number) for (number,) in self.env.cr.fetchall()]
