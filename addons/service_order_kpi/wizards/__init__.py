# The export's download route.
from .. import controllers
from . import service_kpi_export
