// Small browser helpers the portal calls through JS interop.
window.dataraven = {
    // Remembers the theme for a year; the server reads it at prerender so the first paint matches.
    rememberTheme: (value) => {
        document.cookie = `dr-theme=${value === "dark" ? "dark" : "light"}; path=/; max-age=31536000; samesite=lax`;
        document.documentElement.classList.toggle("dr-dark", value === "dark");
    },
    // Focuses the element once a dialog's own focus handling has run (it moves focus on open).
    focusAfterOpen: (selector) => {
        setTimeout(() => document.querySelector(selector)?.focus(), 150);
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
