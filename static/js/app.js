// Behaviour shared by every page. No inline scripts anywhere (Content-Security-Policy).
document.addEventListener("DOMContentLoaded", () => {
  // The language switch submits itself when scripting is available.
  document.querySelectorAll("select.js-autosubmit").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  document.querySelectorAll(".js-hide-when-scripted").forEach((el) => el.classList.add("d-none"));
});

// After an inline form was saved, move focus to its status message for screen-reader users.
document.addEventListener("htmx:afterSwap", (event) => {
  const status = event.detail.target.querySelector("[data-focus-after-swap]");
  if (status) status.focus();
});

// A form submits once: its submit buttons are disabled while the page loads the answer.
// (The server also refuses a repeat: core.idempotency.) htmx forms use hx-disabled-elt.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.hasAttribute("hx-post") || event.defaultPrevented) return;
  setTimeout(() => {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach((button) => {
      button.disabled = true;
    });
  }, 0);
});

// Coming back with the browser's back button shows the page from its cache: enable them again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form button[type=submit]:disabled, form input[type=submit]:disabled")
    .forEach((button) => { button.disabled = false; });
});
