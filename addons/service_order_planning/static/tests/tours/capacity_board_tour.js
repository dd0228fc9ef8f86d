import { registry } from "@web/core/registry";

const ROW = ".o_service_board_row[data-employee='Tour Technician']";

registry.category("web_tour.tours").add("service_capacity_board_tour", {
    steps: () => [
        {
            content: "The technician has nothing booked yet",
            trigger: `${ROW}:not(:has(.o_service_board_booked))`,
        },
        {
            content: "Click a free gap of the technician",
            trigger: `${ROW} .o_service_board_slot:first`,
            run: "click",
        },
        {
            content: "Pick the service order",
            trigger: ".modal .o_field_widget[name=service_order_id] input",
            run: "edit TOUR-BOARD",
        },
        {
            content: "Choose it in the dropdown",
            trigger: ".o-autocomplete--dropdown-menu li a:contains('TOUR-BOARD-1')",
            run: "click",
        },
        {
            content: "Save the assignment",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The cell now shows booked hours",
            trigger: `body:not(:has(.modal)) ${ROW} .o_service_board_cell.o_service_board_booked`,
        },
    ],
});

registry.category("web_tour.tours").add("service_capacity_board_mobile_tour", {
    steps: () => [
        {
            content: "The board is shown with its employees",
            trigger: ".o_service_board_row",
        },
        {
            content: "The page does not overflow; the board scrolls inside its own container",
            trigger: ".o_service_board_scroll",
            run() {
                const page = document.documentElement;
                if (page.scrollWidth > window.innerWidth) {
                    throw new Error(`The page overflows: ${page.scrollWidth}px for ${window.innerWidth}px`);
                }
                const scroller = document.querySelector(".o_service_board_scroll");
                if (scroller.scrollWidth <= scroller.clientWidth) {
                    throw new Error("The week should scroll sideways on a phone");
                }
            },
        },
        {
            content: "Switch to the month",
            trigger: ".o_service_board_period_month",
            run: "click",
        },
        {
            content: "The month is loaded",
            trigger: ".o_service_board_period_month.active",
        },
    ],
});
