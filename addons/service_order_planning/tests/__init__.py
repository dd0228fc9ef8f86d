from . import (
    test_assignment_booking,
    test_assignment_bounds,
    test_assignment_capacity,
    test_availability,
    test_board_input,
    test_capacity_board,
    test_concurrent_booking,
    test_dispatch_board,
    test_order_lifecycle,
    test_planning_ui,
    test_required_skills,
)
