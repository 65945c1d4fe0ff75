// Live updates: the page asks for its live region every few seconds and
// replaces it when the server's version of it changed, unless the user
// is typing in it. Cell editing: a click on a grid cell loads the cell's
// stored value (a formula as its formula) into the editor.
(function () {
  "use strict";
  var hidup = document.getElementById("hidup");
  if (!hidup) return;

  function busy() {
    var a = document.activeElement;
    if (a && hidup.contains(a) && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName)) return true;
    return !!hidup.querySelector("[data-ubah]");
  }

  if (hidup.dataset.live === "ya") {
    var every = parseInt(hidup.dataset.poll, 10) || 2000;
    setInterval(function () {
      if (busy()) return;
      fetch(location.href, { headers: { "X-Kopi-Bagian": "hidup" }, cache: "no-store" })
        .then(function (r) {
          if (!r.ok) return;
          var v = r.headers.get("X-Kopi-Versi");
          if (!v || v === hidup.dataset.versi) return;
          return r.text().then(function (t) {
            if (busy()) return;
            hidup.innerHTML = t;
            hidup.dataset.versi = v;
          });
        })
        .catch(function () {});
    }, every);
  }

  hidup.addEventListener("click", function (e) {
    var td = e.target.closest && e.target.closest("td[data-a1]");
    if (!td || e.target.tagName === "SELECT" || e.target.tagName === "OPTION") return;
    var form = document.getElementById("penyunting");
    if (!form) return;
    var a1 = form.querySelector("[name=a1]");
    var nilai = form.querySelector("[name=nilai]");
    var label = document.getElementById("penyunting-sel");
    a1.value = td.dataset.a1;
    label.textContent = td.dataset.a1;
    var lindung = document.getElementById("penyunting-lindung");
    lindung.textContent = td.dataset.lindung ? "Rentang dilindungi: " + td.dataset.lindung : "";
    nilai.value = "";
    fetch(form.dataset.sel + "?a1=" + encodeURIComponent(td.dataset.a1), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        nilai.value = j.nilai || "";
        nilai.dataset.dimuat = td.dataset.a1;
        nilai.focus();
      });
  });

  hidup.addEventListener("input", function (e) {
    if (e.target.name === "nilai") e.target.setAttribute("data-ubah", "1");
  });

  hidup.addEventListener("change", function (e) {
    var t = e.target;
    if (t.tagName === "SELECT" && t.dataset.kirim === "ya" && t.form) t.form.submit();
  });

})();
