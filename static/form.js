// The form works without this: it only moves the focus to the list of what to correct,
// so that a phone shows it first and a screen reader reads it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
