// The case page: while a release file is being redacted, show the pages done and reload when it ends.
(function () {
  "use strict";
  var lines = document.querySelectorAll("[data-job-url]");
  if (!lines.length) return;
  function poll() {
    var pending = 0, left = lines.length;
    lines.forEach(function (line) {
      fetch(line.getAttribute("data-job-url"), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          line.textContent = data.summary;
          if (data.pending) pending += 1;
        })
        .catch(function () { pending += 1; })
        .finally(function () {
          left -= 1;
          if (left === 0) { if (pending) setTimeout(poll, 1500); else window.location.reload(); }
        });
    });
  }
  setTimeout(poll, 1000);
})();
