from . import test_assignment_booking
from . import test_assignment_capacity
from . import test_capacity_board
from . import test_concurrent_booking
from . import test_planning_ui
