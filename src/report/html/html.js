"use strict";
// The filter: every element with `data-search` (lower-case code, server, DN, message and
// severity) stays shown when it holds every word typed; groups with nothing left shown are
// hidden too. The words live in the fragment (`#filter=EXBH01`), so a filtered view can be
// shared as a link. Without script the whole report shows, as it prints.
(function () {
  const input = document.getElementById("filter");
  const shownCount = document.getElementById("shown-count");
  const totalCount = document.getElementById("total-count");
  const items = Array.from(document.querySelectorAll("[data-search]"));
  const groups = Array.from(document.querySelectorAll(".group"));
  const findings = document.getElementById("findings");
  const report = JSON.parse(document.getElementById("exlint-report").textContent);
  totalCount.textContent = String(report.findings.length);

  function apply(text) {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of items) {
      const hit = words.every((word) => item.dataset.search.includes(word));
      item.classList.toggle("filtered-out", !hit);
      if (hit && item.classList.contains("finding") && findings.contains(item)) {
        shown += 1;
      }
    }
    for (const group of groups) {
      group.classList.toggle("filtered-out", !group.querySelector("[data-search]:not(.filtered-out)"));
    }
    shownCount.textContent = String(shown);
    document.body.dataset.shown = String(shown);
  }

  function fragmentFilter() {
    const match = /^#filter=(.*)$/s.exec(location.hash);
    if (!match) {
      return null;
    }
    try {
      return decodeURIComponent(match[1]);
    } catch (error) {
      return match[1];
    }
  }

  function fromFragment() {
    const text = fragmentFilter();
    if (text !== null) {
      input.value = text;
    }
    apply(input.value);
  }

  input.addEventListener("input", function () {
    apply(input.value);
    const fragment = input.value ? "#filter=" + encodeURIComponent(input.value) : location.pathname + location.search;
    try {
      history.replaceState(null, "", fragment);
    } catch (error) {
      // Some browsers refuse history changes on file: pages; the filter still works.
    }
  });
  window.addEventListener("hashchange", function () {
    if (fragmentFilter() !== null) {
      fromFragment();
    }
  });
  fromFragment();
})();
