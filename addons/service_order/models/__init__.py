from . import ir_sequence
from . import resource_calendar
from . import service_sla_policy
from . import service_order_tag
from . import service_order
