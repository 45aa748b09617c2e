/* Elderly-friendly mode (长者模式): larger type and high contrast, remembered in localStorage.
   Local file only; no third-party scripts or fonts. */
(function () {
  var KEY = "gongkai-elderly";
  var root = document.documentElement;
  function stored() { try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; } }
  function apply(on) {
    root.classList.toggle("elderly", on);
    var btn = document.getElementById("elderly-toggle");
    if (btn) {
      btn.setAttribute("aria-pressed", on ? "true" : "false");
      btn.textContent = on ? "退出长者模式" : "长者模式";
    }
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    var btn = document.getElementById("elderly-toggle");
    if (!btn) return;
    btn.addEventListener("click", function () {
      var on = !root.classList.contains("elderly");
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) {}
      apply(on);
    });
  });
})();

/* A table wider than the screen scrolls sideways in its .table-scroll box; while it does, the box takes the
   keyboard focus (so that the arrow keys scroll it) and is announced as a region. */
(function () {
  function mark() {
    var boxes = document.querySelectorAll(".table-scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表格（可左右滚动）");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
