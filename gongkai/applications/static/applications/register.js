// Register form: show only the Art. 31 date that decides the receipt date for the chosen channel.
// Which date that is comes from the law (gongkai.law.receipt.RECEIPT_FACT, in data-receipt-fact).
// External file, so the Content-Security-Policy needs no inline script.
(function () {
  var ch = document.getElementById('id_channel');
  var signed = document.getElementById('id_signed_for_on'), confirmed = document.getElementById('id_confirmed_on');
  if (!ch || !signed || !confirmed) return;
  var facts = JSON.parse(ch.getAttribute('data-receipt-fact') || '{}');
  function sync() {
    var fact = facts[ch.value] || 'confirmed_on';  // a channel the article does not name: confirmed, if known
    signed.closest('.w-field__wrapper').hidden = fact !== 'signed_for_on' && !signed.value;
    confirmed.closest('.w-field__wrapper').hidden = fact !== 'confirmed_on' && !confirmed.value;
  }
  ch.addEventListener('change', sync);
  sync();
})();
