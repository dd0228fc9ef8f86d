import { registry } from "@web/core/registry";
import { checkFits, takePhoto } from "@service_order_timeclock/../tests/tours/phone_helpers";

const JOB = ".o_service_my_job[data-order='TOUR-FULL-1']";
const CHECK = ".o_field_widget[name=checklist_item_ids] .o_kanban_record:contains(Gas leak test passed)";
// Confirmed by the server: nothing waits in the phone's queue.
const SENT = "body:not(:has(.o_service_my_jobs_queue))";

/** A technician's whole visit on a phone, from leaving for the site to the finished job. */
registry.category("web_tour.tours").add("service_full_job_tour", {
    steps: () => [
        { content: "Today's job", trigger: `${JOB}[data-clock=idle]`, run: checkFits },
        { content: "On my way", trigger: `${JOB} button[name=travel]`, run: "click" },
        { content: "Travelling", trigger: `${SENT} ${JOB}[data-clock=travel]` },
        { content: "Arrive on site", trigger: `${JOB} button[name=arrive]`, run: "click" },
        { content: "Working", trigger: `${SENT} ${JOB}[data-clock=work] .o_service_my_job_timer` },
        { content: "Open the job", trigger: `${JOB} .o_service_my_job_open`, run: "click" },
        { content: "The checklist", trigger: ".o_notebook_headers a:contains(Checklist)", run: "click" },
        { content: "Tick the required check", trigger: `${CHECK} button[name=action_toggle]:contains(Tick)`, run: "click" },
        { content: "Ticked", trigger: `${CHECK} button[name=action_toggle]:contains(Untick)`, run: checkFits },
        { content: "The photos", trigger: ".o_notebook_headers a:contains(Photos)", run: "click" },
        {
            content: "Take a photo with the phone's camera",
            trigger: ".o_service_photo_capture",
            run() {
                takePhoto(this.anchor, "boiler.png");
            },
        },
        { content: "The photo is on the job", trigger: ".o_field_widget[name=photo_ids] .o_kanban_record:contains(boiler.png)" },
        {
            content: "On a phone the other actions are under More",
            trigger: ".o_statusbar_buttons",
            run() {
                const direct = [...this.anchor.querySelectorAll("button")].find((button) =>
                    button.textContent.includes("Customer Sign-off")
                );
                if (!direct) {
                    this.anchor.querySelector("button[title=More]").click();
                }
            },
        },
        { content: "The customer signs off", trigger: "button:contains(Customer Sign-off)", run: "click" },
        { content: "The customer's name", trigger: ".modal .o_field_widget[name=signed_by] input", run: "edit Carla Customer" },
        { content: "Open the signature pad", trigger: ".modal .o_signature_empty", run: "click" },
        { content: "Sign with the name", trigger: ".modal .o_web_sign_auto_button", run: "click" },
        { content: "Adopt the signature", trigger: ".modal button.btn-primary:contains(Adopt & Sign):enabled", run: "click" },
        { content: "Confirm the sign-off", trigger: ".modal button[name=action_confirm]", run: "click" },
        { content: "Signed", trigger: "body:not(:has(.modal)) .o_notebook_headers a:contains(Sign-off)" },
        { content: "Back to My Jobs", trigger: ".o_breadcrumb .o_back_button", run: "click" },
        { content: "Clock out", trigger: `${SENT} ${JOB}[data-clock=work] button[name=clock_out]`, run: "click" },
        { content: "Clocked out", trigger: `${SENT} ${JOB}[data-clock=idle]` },
        { content: "Job done", trigger: `${JOB} .o_service_my_job_done`, run: "click" },
        { content: "The finished job leaves the list", trigger: `.o_service_my_jobs:not(:has(${JOB}))`, run: checkFits },
    ],
});
