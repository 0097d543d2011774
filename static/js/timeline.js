// The dossier's timeline: after "Meer laden" appended the next page, keyboard and screen-reader
// users continue at its first entry (the button they pressed was replaced).
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target.id !== "timeline-entries") return;
  const starts = event.detail.target.querySelectorAll("[data-timeline-page-start]");
  if (starts.length) starts[starts.length - 1].focus();
});
