// Hỏi Phường editor console: asks before destructive actions (forms with
// data-confirm). The pages work without it.
(function () {
  'use strict';
  document.addEventListener('submit', function (ev) {
    var f = ev.target;
    var msg = f.getAttribute && f.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
    }
  });
})();
