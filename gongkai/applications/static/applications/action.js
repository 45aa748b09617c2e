// Action page of a case: the answer type fills the default basis; the partial-disclosure table
// shows only for 部分公开. External file, so the Content-Security-Policy needs no inline script.
(function () {
  var data = document.getElementById('gk-defaults');
  var o = document.getElementById('id_outcome');
  var b = document.getElementById('id_basis');
  if (!data || !o || !b) return;
  var d = JSON.parse(data.textContent);
  var last = '';
  var parts = document.getElementById('parts');
  function sync() {
    if (parts) {
      var filled = [].some.call(parts.querySelectorAll('input[type=text]'), function (i) { return i.value; });
      parts.hidden = o.value !== 'result.partial' && !filled;
    }
  }
  o.addEventListener('change', function () {
    if (!b.value || b.value === last) { b.value = d[o.value] || ''; last = b.value; }
    sync();
  });
  sync();
})();
