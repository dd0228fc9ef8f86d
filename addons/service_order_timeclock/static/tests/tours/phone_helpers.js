// Steps' helpers shared by the technician's phone tours.

// A 1x1 PNG, as the phone's camera would hand it over.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC";

/** Fails the step when the page is wider than the phone's screen. */
export function checkFits() {
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) {
        throw new Error(`The page overflows: ${page.scrollWidth}px for ${window.innerWidth}px`);
    }
}

/** Hands a photo called `name` to the camera input inside `anchor`, as the phone's camera would. */
export function takePhoto(anchor, name) {
    const input = anchor.querySelector("input[type=file][capture=environment]");
    const bytes = Uint8Array.from(atob(PNG), (char) => char.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: "image/png" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}
