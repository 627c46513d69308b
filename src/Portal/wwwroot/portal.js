// Small browser helpers the portal calls through JS interop.
window.dataraven = {
    // Remembers the theme for a year; the server reads it at prerender so the first paint matches.
    rememberTheme: (value) => {
        document.cookie = `dr-theme=${value === "dark" ? "dark" : "light"}; path=/; max-age=31536000; samesite=lax`;
        document.documentElement.classList.toggle("dr-dark", value === "dark");
    },
    // Focuses the element once a dialog's own focus handling has run (it moves focus on open).
    // MudBlazor's focus trap focuses its own sentinel once a dialog has opened, later on a loaded machine: focus the
    // element, and again if the trap took focus after us. Never when focus is on a control (the user moved it on).
    focusAfterOpen: (selector) => {
        const focus = () => {
            const target = document.querySelector(selector);
            const active = document.activeElement;
            if (!target || active === target || active?.matches("button, input, select, textarea, a[href]")) {
                return;
            }
            target.focus();
        };
        [150, 400, 800, 1500, 3000].forEach(ms => setTimeout(focus, ms));
    },
    copyText: async (text) => {
        await navigator.clipboard.writeText(text);
    },
    // Set just before the reconnect UI reloads a page whose session the server no longer has.
    markReconnectReset: () => sessionStorage.setItem("dr-reconnect-reset", "1"),
    // Read once by the next page (ReconnectNotice), so the notice shows one time.
    takeReconnectReset: () => {
        const reset = sessionStorage.getItem("dr-reconnect-reset") === "1";
        sessionStorage.removeItem("dr-reconnect-reset");
        return reset;
    },
};

// The credential request page (static, no circuit): show/hide of a masked field, and a key file read into its
// text area here in the browser (the file input has no name, so only the text area's value is posted).
document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-dr-reveal]") : null;
    const input = button ? document.getElementById(button.getAttribute("data-dr-reveal")) : null;
    if (!input) {
        return;
    }
    const show = button.getAttribute("aria-pressed") !== "true";
    if (input instanceof HTMLInputElement) {
        input.type = show ? "text" : "password";
    } else {
        input.classList.toggle("masked", !show);
    }
    const label = input.labels?.[0]?.textContent?.trim() ?? "";
    button.setAttribute("aria-pressed", show ? "true" : "false");
    button.setAttribute("aria-label", `${show ? "Hide" : "Show"} ${label}`);
    button.textContent = show ? "Hide" : "Show";
});
document.addEventListener("change", async (event) => {
    const picker = event.target;
    if (!(picker instanceof HTMLInputElement) || !picker.dataset.drReadInto || !picker.files?.length) {
        return;
    }
    const target = document.getElementById(picker.dataset.drReadInto);
    const file = picker.files[0];
    if (!target || file.size > (target.maxLength > 0 ? target.maxLength : 65536)) {
        picker.setCustomValidity("That file is larger than a key file.");
        picker.reportValidity();
        return;
    }
    picker.setCustomValidity("");
    target.value = await file.text();
    target.dispatchEvent(new Event("input", { bubbles: true }));
});
