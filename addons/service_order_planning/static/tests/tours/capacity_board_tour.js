import { registry } from "@web/core/registry";

const ROW = ".o_service_board_row[data-employee='Tour Technician']";
// The label of the gap clicked, to compare with the time the form opens at.
let slotLabel = "";

registry.category("web_tour.tours").add("service_capacity_board_tour", {
    steps: () => [
        {
            content: "Go to next week: past time cannot be booked",
            trigger: ".o_service_board_next",
            run: "click",
        },
        {
            content: "The technician has nothing booked yet",
            trigger: `${ROW}:not(:has(.o_service_board_booked))`,
        },
        {
            content: "Click a free gap of the technician",
            trigger: `${ROW} .o_service_board_slot:not([disabled]):first`,
            async run(helpers) {
                slotLabel = this.anchor.textContent.trim();
                await helpers.click();
            },
        },
        {
            content: "The form starts at the time the gap showed (same time zone)",
            trigger: ".modal .o_field_widget[name=date_start]",
            run() {
                const shown = this.anchor.textContent;
                const [, hours, minutes, half] = shown.match(/(\d{1,2}):(\d{2})(?::\d{2})?\s*(AM|PM)?/i);
                let hour = Number(hours) % (half ? 12 : 24);
                if (half && half.toUpperCase() === "PM") {
                    hour += 12;
                }
                const start = `${String(hour).padStart(2, "0")}:${minutes}`;
                if (!slotLabel.startsWith(start)) {
                    throw new Error(`The gap said ${slotLabel}, the form opened at ${shown}`);
                }
            },
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
            content: "On a phone the board is a list of people for one day",
            trigger: ".o_service_board_daylist .o_service_board_person",
        },
        {
            content: "The page does not overflow",
            trigger: ".o_service_board_daylist",
            run() {
                const page = document.documentElement;
                if (page.scrollWidth > window.innerWidth) {
                    throw new Error(`The page overflows: ${page.scrollWidth}px for ${window.innerWidth}px`);
                }
            },
        },
        {
            content: "Go to the next day",
            trigger: ".o_service_board_next_day",
            run: "click",
        },
        {
            content: "Go to the next day again",
            trigger: ".o_service_board_next_day",
            run: "click",
        },
        {
            content: "Tap a free gap of the technician",
            trigger: `${ROW} .o_service_board_slot:not([disabled]):first`,
            run: "click",
        },
        {
            content: "The booking form opens for that person",
            trigger: ".modal .o_field_widget[name=employee_id] input",
            run() {
                if (this.anchor.value !== "Tour Technician") {
                    throw new Error(`The form is for ${this.anchor.value}`);
                }
            },
        },
        {
            content: "Close it",
            trigger: ".modal .o_form_button_cancel",
            run: "click",
        },
        {
            content: "Tap the job",
            trigger: `body:not(:has(.modal)) .o_service_board_job[data-job='TOUR-PHONE-1']`,
            run: "click",
        },
        {
            content: "The job opens",
            trigger: ".modal .o_field_widget[name=service_order_id] input",
            run() {
                if (!this.anchor.value.includes("TOUR-PHONE-1")) {
                    throw new Error(`${this.anchor.value} opened instead of TOUR-PHONE-1`);
                }
            },
        },
    ],
});

const HELPER = ".o_service_board_row[data-employee='Tour Helper']";

function nextTuesday() {
    return luxon.DateTime.local().startOf("week").plus({ weeks: 1, days: 1 }).toISODate();
}

registry.category("web_tour.tours").add("service_dispatch_board_drag_tour", {
    steps: () => [
        {
            content: "Keep to the people with a skill",
            trigger: ".o_service_board_skill",
            run: "selectByLabel Tour Gas",
        },
        {
            content: "Only the technician has it",
            trigger: `body:not(:has(.o_service_board_row[data-employee='Tour Helper'])) ${ROW}`,
        },
        {
            content: "Show everybody again",
            trigger: ".o_service_board_skill",
            run: "selectByLabel All skills",
        },
        {
            content: "The colleague is back",
            trigger: ".o_service_board_row[data-employee='Tour Helper']",
        },
        {
            content: "Go to next week, all of it ahead",
            trigger: ".o_service_board_next",
            run: "click",
        },
        {
            content: "The order waits in the panel of orders to plan",
            trigger: ".o_service_board_order[data-order='TOUR-DRAG-1']",
        },
        {
            content: "Drag the order onto a free gap of the technician",
            trigger: ".o_service_board_order[data-order='TOUR-DRAG-1']",
            run: `drag_and_drop(${ROW} .o_service_board_slot:not([disabled]):first)`,
        },
        {
            content: "The job is in the technician's cell",
            trigger: `${ROW} .o_service_board_job.o_service_board_job_confirmed[data-job='TOUR-DRAG-1']`,
        },
        {
            content: "The order left the panel",
            trigger: ".o_service_board_panel:not(:has(.o_service_board_order[data-order='TOUR-DRAG-1']))",
        },
        {
            content: "Drag the job onto the colleague's first gap, too short before their visit elsewhere",
            trigger: `${ROW} .o_service_board_job[data-job='TOUR-DRAG-1']`,
            run: `drag_and_drop(${HELPER} .o_service_board_slot:not([disabled]):first)`,
        },
        {
            content: "The server's refusal is shown",
            trigger: ".o_notification:contains('do not fit')",
        },
        {
            content: "The job stayed where it was",
            trigger: `${ROW} .o_service_board_job[data-job='TOUR-DRAG-1']`,
        },
        {
            content: "Drag the job onto the colleague's Tuesday",
            trigger: `${ROW} .o_service_board_job[data-job='TOUR-DRAG-1']`,
            run: `drag_and_drop(${HELPER} .o_service_board_cell[data-date='${nextTuesday()}'] .o_service_board_slot)`,
        },
        {
            content: "The job moved to the colleague",
            trigger: `${HELPER} .o_service_board_cell[data-date='${nextTuesday()}'] .o_service_board_job[data-job='TOUR-DRAG-1']`,
        },
        {
            content: "and left the technician",
            trigger: `${ROW}:not(:has(.o_service_board_job))`,
        },
    ],
});

registry.category("web_tour.tours").add("service_my_work_tour", {
    steps: () => [
        {
            content: "The technician lands on My Work",
            trigger: ".o_breadcrumb:contains('My Work')",
        },
        {
            content: "The job booked for them is there, with its visit, directions and phone",
            trigger:
                ".o_kanban_record:contains('TOUR-TECH-1'):has(.o_service_next_visit):has(.o_service_maps_link):has(a[href^='tel:'])",
        },
        {
            content: "Open it",
            trigger: ".o_kanban_record:contains('TOUR-TECH-1')",
            run: "click",
        },
        {
            content: "The order opens",
            trigger: ".o_form_view .o_field_widget[name=name]:contains('TOUR-TECH-1')",
        },
    ],
});
