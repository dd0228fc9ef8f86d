import { registry } from "@web/core/registry";
import { checkFits, takePhoto } from "@service_order_timeclock/../tests/tours/phone_helpers";

const CHECK = ".o_field_widget[name=checklist_item_ids] .o_kanban_record:contains(Gas leak test passed)";

registry.category("web_tour.tours").add("service_job_on_site_tour", {
    steps: () => [
        {
            content: "Open the job's checklist",
            trigger: ".o_notebook_headers a:contains(Checklist)",
            run: "click",
        },
        {
            content: "Tick the required check",
            trigger: `${CHECK} button[name=action_toggle]:contains(Tick)`,
            run: "click",
        },
        {
            content: "The check is ticked and the screen fits the phone",
            trigger: `${CHECK} button[name=action_toggle]:contains(Untick)`,
            run: checkFits,
        },
        {
            content: "Open the job's photos",
            trigger: ".o_notebook_headers a:contains(Photos)",
            run: "click",
        },
        {
            content: "Take a photo with the phone's camera",
            trigger: ".o_service_photo_capture",
            run() {
                takePhoto(this.anchor, "boiler.png");
            },
        },
        {
            content: "The photo is on the job",
            trigger: ".o_field_widget[name=photo_ids] .o_kanban_record:contains(boiler.png)",
            run: checkFits,
        },
    ],
});
