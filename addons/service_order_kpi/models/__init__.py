from . import hr_employee
from . import service_kpi_capacity
from . import service_kpi_report
