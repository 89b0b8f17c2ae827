// The one script: open every fold before printing, so paper shows the whole tree.
addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
});
