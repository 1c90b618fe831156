// The upload page: sends the chosen file as the request body with a progress bar, and shows what the
// console answered (how many values were stored, or the bad lines). Without a file, the form posts the
// pasted CSV as it would without scripts.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var progress = document.getElementById("upload-progress");
  var result = document.getElementById("upload-result");
  var message = document.getElementById("upload-message");
  var problems = document.getElementById("upload-problems");

  function show(text, failed, lines) {
    result.hidden = false;
    message.textContent = text;
    message.className = failed ? "error" : "";
    problems.textContent = "";
    (lines || []).forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      problems.appendChild(item);
    });
  }

  form.addEventListener("submit", function (event) {
    var file = form.elements.file.files[0];
    if (!file) return;
    event.preventDefault();
    var query = new URLSearchParams();
    ["horizon", "prior"].forEach(function (name) {
      if (form.elements[name].value) query.set(name, form.elements[name].value);
    });
    var request = new XMLHttpRequest();
    request.open("POST", "/upload/" + encodeURIComponent(form.elements.sensor.value) + "?" + query.toString());
    request.setRequestHeader("Content-Type", "text/csv");
    request.setRequestHeader("X-CSRF-Token", form.elements.csrf_token.value);
    progress.hidden = false;
    progress.value = 0;
    request.upload.onprogress = function (e) {
      if (e.lengthComputable) progress.value = Math.round((100 * e.loaded) / e.total);
    };
    request.onload = function () {
      progress.value = 100;
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (ignored) { body = { message: request.responseText }; }
      show(body.message || ("The upload failed (" + request.status + ")."), request.status !== 200, body.problems);
    };
    request.onerror = function () { show("The upload failed: the console could not be reached.", true, []); };
    request.send(file);
  });
})();
