/* The "copy" buttons (data-copy="<id of the element to copy>").
 *
 * Progressive enhancement: the button is hidden until this script shows it; without
 * JavaScript the page offers the text on its own, to copy or save. The status is said
 * in a polite live region next to the button.
 */
(function () {
  "use strict";
  if (!document.querySelectorAll) return;
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var status = button.parentNode.querySelector(".copy-status");
    function say(text) { if (status) status.textContent = text; }
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      say(ok ? button.getAttribute("data-copied") : button.getAttribute("data-failed"));
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(
          function () { say(button.getAttribute("data-copied")); },
          fallback
        );
      } else {
        fallback();
      }
    });
  });
})();
