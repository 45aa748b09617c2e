// /apply/: while the citizen describes the information, show what the chosen agency has already
// published ("这些信息已经公开"), from /apply/published/. External file (the CSP allows no inline
// script); without JavaScript the "查找已公开的信息" button does the same by posting the form.
(function () {
  var box = document.getElementById('published-matches');
  var agency = document.getElementById('id_agency');
  var fields = ['id_subject', 'id_description', 'id_document_number'].map(function (id) {
    return document.getElementById(id);
  }).filter(Boolean);
  if (!box || !agency || !fields.length || !window.fetch) return;
  var timer = null, asked = '', seq = 0;

  function text() {
    return fields.map(function (f) { return f.value.trim(); }).join(' ').trim().slice(0, 300);
  }

  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (content) node.textContent = content;
    return node;
  }

  function show(items) {
    box.textContent = '';
    if (!items.length) return;
    var wrap = el('div', 'published-list');
    wrap.appendChild(el('h2', '', '这些信息已经公开'));
    wrap.appendChild(el('p', 'help', '以下信息已在本机关网站主动公开，可以直接查阅；如仍需申请，请继续填写并提交。'));
    var list = el('ul');
    items.forEach(function (item) {
      var li = el('li');
      var a = el('a', '', item.title);
      a.href = item.url;
      li.appendChild(a);
      if (item.date) { li.appendChild(document.createTextNode(' ')); li.appendChild(el('span', 'date', item.date)); }
      list.appendChild(li);
    });
    wrap.appendChild(list);
    box.appendChild(wrap);
  }

  function lookup() {
    var q = text();
    var key = agency.value + '|' + q;
    if (!agency.value || q.length < 4) { asked = key; show([]); return; }
    if (key === asked) return;
    asked = key;
    var mine = ++seq;
    var url = box.getAttribute('data-url') + '?agency=' + encodeURIComponent(agency.value) + '&q=' + encodeURIComponent(q);
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.json(); })
      .then(function (data) { if (mine === seq) show(data.items || []); })
      .catch(function () { /* the form still works; nothing to show */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(lookup, 700);
  }

  fields.forEach(function (f) { f.addEventListener('input', later); });
  agency.addEventListener('change', lookup);
})();
