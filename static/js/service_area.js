// Service area page: filter the list of municipalities by a text and count the chosen ones.
(function () {
  "use strict";
  const filter = document.getElementById("service-area-filter");
  const list = document.getElementById("service-area-list");
  const count = document.getElementById("service-area-count");
  if (!filter || !list) return;

  function plain(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  filter.addEventListener("input", function () {
    const wanted = plain(filter.value);
    list.querySelectorAll(".service-area-province").forEach(function (group) {
      let shown = 0;
      group.querySelectorAll(".form-check").forEach(function (item) {
        const match = !wanted || plain(item.dataset.name).includes(wanted);
        item.hidden = !match;
        if (match) shown += 1;
      });
      group.hidden = shown === 0;
    });
  });

  list.addEventListener("change", function () {
    count.textContent = list.querySelectorAll("input[type=checkbox]:checked").length;
  });
})();
