// Register form: show only the Art. 31 date that decides the receipt date for the chosen channel.
// External file, so the Content-Security-Policy needs no inline script.
(function () {
  var ch = document.getElementById('id_channel');
  var signed = document.getElementById('id_signed_for_on'), confirmed = document.getElementById('id_confirmed_on');
  if (!ch || !signed || !confirmed) return;
  function sync() {
    var v = ch.value;
    signed.closest('.w-field__wrapper').hidden = v !== 'registered_mail' && !signed.value;
    confirmed.closest('.w-field__wrapper').hidden = ['ordinary_mail', 'online', 'fax', 'other'].indexOf(v) < 0 && !confirmed.value;
  }
  ch.addEventListener('change', sync);
  sync();
})();
