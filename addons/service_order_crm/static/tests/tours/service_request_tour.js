import { registry } from "@web/core/registry";

function localInputValue(daysAhead, hour) {
    const date = new Date();
    date.setDate(date.getDate() + daysAhead);
    date.setHours(hour, 0, 0, 0);
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(hour)}:00`;
}

function setValue(value) {
    return {
        run() {
            this.anchor.value = value;
        },
    };
}

registry.category("web_tour.tours").add("service_order_crm_request_tour", {
    steps: () => [
        {
            content: "Enter the visitor's name",
            trigger: ".o_service_request_form input[name=name]",
            run: "edit Tour Visitor",
        },
        {
            content: "Enter the email",
            trigger: ".o_service_request_form input[name=email]",
            run: "edit tour.visitor@example.com",
        },
        {
            content: "Enter the phone",
            trigger: ".o_service_request_form input[name=phone]",
            run: "edit +32 470 11 22 33",
        },
        {
            content: "Enter the street of the site",
            trigger: ".o_service_request_form input[name=street]",
            run: "edit Korenmarkt 3",
        },
        {
            content: "Enter the city",
            trigger: ".o_service_request_form input[name=city]",
            run: "edit Ghent",
        },
        {
            content: "Describe the need",
            trigger: ".o_service_request_form textarea[name=need]",
            run: "edit The heating does not start.",
        },
        {
            content: "Choose the start of the window",
            trigger: ".o_service_request_form input[name=window_start]",
            ...setValue(localInputValue(3, 9)),
        },
        {
            content: "Choose the end of the window",
            trigger: ".o_service_request_form input[name=window_end]",
            ...setValue(localInputValue(3, 12)),
        },
        {
            content: "Send the request",
            trigger: ".o_service_request_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The thank-you page is shown",
            trigger: ".o_service_request_thanks",
        },
    ],
});
