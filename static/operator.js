// The call console works without this: it only adds Ctrl+Enter to save while typing.
document.addEventListener("keydown", function (event) {
  if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
    var save = document.getElementById("save");
    if (save) { event.preventDefault(); save.click(); }
  }
});
