import { registry } from "@web/core/registry";
import { checkFits, takePhoto } from "@service_order_timeclock/../tests/tours/phone_helpers";

const JOB = ".o_service_my_job[data-order='TOUR-JOB-1']";

registry.category("web_tour.tours").add("service_my_jobs_tour", {
    steps: () => [
        {
            content: "Today's job is listed, with its call and map links",
            trigger: `${JOB}[data-clock=idle] .o_service_my_job_phone`,
            run: checkFits,
        },
        {
            content: "Leave for the site",
            trigger: `${JOB} button[name=travel]`,
            run: "click",
        },
        {
            content: "Travel is running",
            trigger: `${JOB}[data-clock=travel] .o_service_my_job_timer`,
        },
        {
            content: "Arrive on site",
            trigger: `${JOB} button[name=arrive]`,
            run: "click",
        },
        {
            content: "Work is running, confirmed by the server",
            trigger: `body:not(:has(.o_service_my_jobs_queue)) ${JOB}[data-clock=work] .o_service_my_job_timer`,
            run: checkFits,
        },
        {
            content: "Clock out",
            trigger: `${JOB} button[name=clock_out]`,
            run: "click",
        },
        {
            content: "Nothing runs any more",
            trigger: `body:not(:has(.o_service_my_jobs_queue)) ${JOB}[data-clock=idle]`,
        },
        {
            content: "The job is done",
            trigger: `${JOB} .o_service_my_job_done`,
            run: "click",
        },
        {
            content: "A done job leaves the list",
            trigger: `.o_service_my_jobs:not(:has(${JOB}))`,
        },
    ],
});

/** Requests to the clock endpoint are sent to a closed port: the browser reports a network
 * error, exactly as when the phone has no signal. */
function cutNetwork() {
    const { browser } = odoo.loader.modules.get("@web/core/browser/browser");
    const Online = browser.XMLHttpRequest;
    window.__serviceOnlineXHR = Online;
    browser.XMLHttpRequest = class extends Online {
        open(method, url, ...rest) {
            const offline = String(url).includes("/service/timeclock/");
            return super.open(method, offline ? "http://127.0.0.1:9/service/timeclock/sync" : url, ...rest);
        }
    };
}

function restoreNetwork() {
    const { browser } = odoo.loader.modules.get("@web/core/browser/browser");
    browser.XMLHttpRequest = window.__serviceOnlineXHR;
}

registry.category("web_tour.tours").add("service_my_jobs_offline_tour", {
    steps: () => [
        {
            content: "Today's job is listed; the network goes away",
            trigger: `${JOB}[data-clock=idle]`,
            run: cutNetwork,
        },
        {
            content: "Arrive on site without network",
            trigger: `${JOB} button[name=arrive]`,
            run: "click",
        },
        {
            content: "The event waits on the phone, and the job shows work running",
            trigger: `.o_service_my_jobs_offline`,
        },
        {
            content: "One event is queued",
            trigger: `.o_service_my_jobs_queued[data-status=pending]`,
        },
        {
            content: "The timer runs offline",
            trigger: `${JOB}[data-clock=work] .o_service_my_job_timer`,
        },
        {
            content: "Tick the required check, still offline",
            trigger: `${JOB} .o_service_my_job_check[data-name='Gas leak test passed'][data-done=no]`,
            run: "click",
        },
        {
            content: "It shows ticked on the phone",
            trigger: `${JOB} .o_service_my_job_check[data-name='Gas leak test passed'][data-done=yes]`,
        },
        {
            content: "Take a photo, still offline",
            trigger: `${JOB} .o_service_my_job_photo`,
            run() {
                takePhoto(this.anchor, "boiler.png");
            },
        },
        {
            content: "Three events wait on the phone",
            trigger: `.o_service_my_jobs_queued:contains(Photo boiler.png)`,
        },
        {
            content: "Clock out, still offline",
            trigger: `${JOB} button[name=clock_out]`,
            run: "click",
        },
        {
            content: "Four events wait; the network comes back",
            trigger: `.o_service_my_jobs_queue:has(.o_service_my_jobs_queued ~ .o_service_my_jobs_queued ~ .o_service_my_jobs_queued ~ .o_service_my_jobs_queued)`,
            run: restoreNetwork,
        },
        {
            content: "Send them",
            trigger: `.o_service_my_jobs_bar button[title=Refresh]`,
            run: "click",
        },
        {
            content: "The queue is empty and the server shows the job idle",
            trigger: `body:not(:has(.o_service_my_jobs_queue)):not(:has(.o_service_my_jobs_offline)) ${JOB}[data-clock=idle]`,
        },
        {
            content: "The server has the tick and the photo",
            trigger: `${JOB}:has(.o_service_my_job_check[data-done=yes]):has(.o_service_my_job_photo:contains(1))`,
        },
        {
            content: "Send again: nothing left to replay",
            trigger: `.o_service_my_jobs_bar button[title=Refresh]`,
            run: "click",
        },
        {
            content: "Still idle",
            trigger: `body:not(:has(.o_service_my_jobs_queue)) ${JOB}[data-clock=idle]`,
        },
    ],
});
