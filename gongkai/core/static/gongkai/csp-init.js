// Runs the Wagtail admin's widget and panel initialisers without inline script, so the
// Content-Security-Policy can forbid inline script everywhere (gongkai/core/cspadmin.py).
// Each former inline <script> is now an inert <script type="application/json" data-gk-init="...">
// placeholder; this file (loaded once on every admin page by gongkai/core/wagtail_hooks.py)
// runs them when the page has loaded, and runs those inserted later (a new inline-panel
// form) through a MutationObserver. Inert placeholders are never evaluated by jQuery either,
// which would otherwise re-run an inserted <script src> as inline code.
(function () {
  function json(value) { return value ? JSON.parse(value) : undefined; }
  function constructor(path) { return path.split('.').reduce(function (o, k) { return o[k]; }, window); }
  function run(s) {
    if (!s || s.getAttribute('data-gk-done') || s.closest('template')) return;
    s.setAttribute('data-gk-done', '1');
    var d = s.dataset;
    switch (d.gkInit) {
      case 'date': window.initDateChooser(d.id, json(d.config)); break;
      case 'time': window.initTimeChooser(d.id, json(d.config)); break;
      case 'datetime': window.initDateTimeChooser(d.id, json(d.config)); break;
      case 'inline-panel': new window.InlinePanel(json(d.options)); break;
      case 'multiple-chooser-panel': new window.MultipleChooserPanel(json(d.options)); break;
      case 'chooser': new (constructor(d.jsClass))(d.id, json(d.options)); break;
      case 'task-chooser': window.createTaskChooser(d.id); break;
      default: if (window.console) console.error('csp-init: unknown initialiser ' + d.gkInit);
    }
  }
  function scan(node) {
    if (node.nodeType !== 1) return;
    if (node.matches('script[data-gk-init]')) run(node);
    else node.querySelectorAll('script[data-gk-init]').forEach(run);
  }
  function start() {
    document.querySelectorAll('script[data-gk-init]').forEach(run);
    new MutationObserver(function (records) {
      records.forEach(function (r) { r.addedNodes.forEach(scan); });
    }).observe(document.documentElement, { childList: true, subtree: true });
  }
  // Wagtail's own scripts (InlinePanel, the choosers) load after this one: wait for them.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
