import { registry } from "@web/core/registry";

// A 1x1 PNG, as the phone's camera would hand it over.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC";
const CHECK = ".o_field_widget[name=checklist_item_ids] .o_kanban_record:contains(Gas leak test passed)";

function checkFits() {
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) {
        throw new Error(`The page overflows: ${page.scrollWidth}px for ${window.innerWidth}px`);
    }
}

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
                const input = this.anchor.querySelector("input[type=file][capture=environment]");
                const bytes = Uint8Array.from(atob(PNG), (char) => char.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "boiler.png", { type: "image/png" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The photo is on the job",
            trigger: ".o_field_widget[name=photo_ids] .o_kanban_record:contains(boiler.png)",
            run: checkFits,
        },
    ],
});
