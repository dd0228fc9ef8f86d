from . import (
    test_assignment_booking,
    test_assignment_capacity,
    test_availability,
    test_board_input,
    test_capacity_board,
    test_concurrent_booking,
    test_planning_ui,
)
