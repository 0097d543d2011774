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
