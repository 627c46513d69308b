// Passkeys on the static account pages (no circuit): a submit button with data-dr-passkey="create" or "get" first asks
// the portal for the ceremony's options (data-dr-passkey-options, posted with the form's antiforgery token), lets the
// browser create or use a passkey, puts the browser's answer (or why there is none) into the form's hidden fields,
// and then posts the form as usual. The answer holds public keys and signatures only, never a private key.
(() => {
    const supported = () =>
        typeof window.PublicKeyCredential === "function" &&
        typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
        typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

    async function optionsFrom(url, form) {
        const body = new FormData();
        const token = form.querySelector("input[name='__RequestVerificationToken']");
        if (token) {
            body.append(token.name, token.value);
        }
        const response = await fetch(url, { method: "POST", body, credentials: "same-origin" });
        if (!response.ok) {
            throw new Error(response.status === 429 ? "Too many attempts. Try again in a minute." : "The passkey could not be started. Reload the page and try again.");
        }
        return await response.json();
    }

    async function ceremony(kind, url, form) {
        if (!supported()) {
            throw new Error("This browser cannot use passkeys. Use a current browser, or your password and a code.");
        }
        const json = await optionsFrom(url, form);
        return kind === "create"
            ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json) })
            : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
    }

    document.addEventListener("submit", async (event) => {
        const button = event.submitter;
        const kind = button?.getAttribute("data-dr-passkey");
        const form = event.target;
        if (!kind || !(form instanceof HTMLFormElement)) {
            return;
        }
        event.preventDefault();
        const credential = form.querySelector("[data-dr-passkey-credential]");
        const error = form.querySelector("[data-dr-passkey-error]");
        button.disabled = true;
        try {
            const answer = await ceremony(kind, button.getAttribute("data-dr-passkey-options"), form);
            credential.value = JSON.stringify(answer);
            error.value = "";
        } catch (e) {
            credential.value = "";
            // NotAllowedError: cancelled, timed out, or no passkey of this site on the device.
            error.value = e?.name === "NotAllowedError" ? "No passkey was used." : (e?.message || "The passkey did not work.");
        }
        form.submit();
    });
})();
