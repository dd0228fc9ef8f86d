"""The years service records can be dated in."""

from datetime import datetime

from odoo import fields
from odoo.exceptions import ValidationError

# Beyond them an order cannot be numbered (sequences format the year on four digits), PostgreSQL
# puts the first week of year 1 in 1 BC (every grouping by week then fails for everybody), and
# spreadsheets count days from 1900.
FIRST_DATE = datetime(1900, 1, 1)
END_DATE = datetime(2200, 1, 1)


def sql_bounds(column):
    """The bounds as the condition of a CHECK constraint on the timestamp ``column``."""
    return f"{column} >= '1900-01-01' AND {column} < '2200-01-01'"


def check_date_values(records, vals, names):
    """Refuse, naming the field and the value, a value of the datetime fields ``names`` in
    ``vals`` (create or write values of ``records``' model) that is no date and time or lies
    outside the years service records can be dated in."""
    for name in names:
        value = vals.get(name)
        if not value:
            continue
        try:
            moment = fields.Datetime.to_datetime(value)
        except (TypeError, ValueError, OverflowError):
            moment = None
        if moment is None or not FIRST_DATE <= moment < END_DATE:
            raise ValidationError(
                records.env._(
                    "%(field)s: “%(value)s” is not a date and time between 1900 and 2199.",
                    field=records._fields[name]._description_string(records.env),
                    value=value,
                )
            )
