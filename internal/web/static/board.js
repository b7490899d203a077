// The live board: a progressive enhancement of /response. Without this script the page
// refreshes itself every 15 seconds (a <noscript> meta refresh). With it, the page follows
// /response/events (Server-Sent Events) and, for each report that changed, fetches that
// report's row from the server (already translated and escaped) and puts it in place: a
// new report goes to the top with a visual cue, an announcement for screen readers, and an
// optional beep. Ages tick every 30 seconds.
(function () {
  "use strict";
  var rows = document.getElementById("board-rows");
  if (!rows || !window.EventSource || !window.fetch) {
    return;
  }
  var query = rows.getAttribute("data-query") || "";
  var status = document.getElementById("board-status");
  var live = document.getElementById("board-live");
  var count = document.getElementById("board-n");
  var empty = document.getElementById("board-empty");
  var soundBox = document.getElementById("board-sound");
  var soundOn = document.getElementById("board-sound-on");
  var lang = document.documentElement.lang || "en";
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto", style: "short" }) : null;

  if (soundBox) {
    soundBox.hidden = false;
  }

  function setStatus(which) {
    if (status) {
      status.textContent = status.getAttribute(which === "live" ? "data-live" : "data-lost");
      status.className = "board-status board-status-" + which;
    }
  }

  function recount() {
    var n = rows.querySelectorAll("tr").length;
    if (count) {
      count.textContent = String(n);
    }
    if (empty) {
      empty.hidden = n > 0;
    }
  }

  function tick() {
    if (!relative) {
      return;
    }
    var now = Date.now();
    var times = rows.querySelectorAll("time[data-age]");
    for (var i = 0; i < times.length; i++) {
      var seconds = (now - Date.parse(times[i].getAttribute("datetime"))) / 1000;
      if (isNaN(seconds)) {
        continue;
      }
      if (seconds < 60) {
        times[i].textContent = relative.format(0, "second");
      } else if (seconds < 3600) {
        times[i].textContent = relative.format(-Math.floor(seconds / 60), "minute");
      } else if (seconds < 172800) {
        times[i].textContent = relative.format(-Math.floor(seconds / 3600), "hour");
      } else {
        times[i].textContent = relative.format(-Math.floor(seconds / 86400), "day");
      }
    }
  }

  function beep() {
    if (!soundOn || !soundOn.checked) {
      return;
    }
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) {
      return;
    }
    try {
      var ctx = new Ctx();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.1;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.25);
      osc.onended = function () { ctx.close(); };
    } catch (e) {
      // No sound is better than a broken board.
    }
  }

  function cue(row) {
    row.classList.add("board-new");
    window.setTimeout(function () { row.classList.remove("board-new"); }, 15000);
    if (live) {
      live.textContent = row.getAttribute("data-announce") || "";
    }
    beep();
  }

  // place puts a new row among the others, newest first.
  function place(row) {
    var created = Date.parse(row.getAttribute("data-created"));
    var others = rows.children;
    for (var i = 0; i < others.length; i++) {
      if (Date.parse(others[i].getAttribute("data-created")) <= created) {
        rows.insertBefore(row, others[i]);
        return;
      }
    }
    rows.appendChild(row);
  }

  function update(id) {
    var url = "/response/reports/" + encodeURIComponent(id) + "/row" + (query ? "?" + query : "");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (res) {
      if (res.status === 204) {
        var gone = document.getElementById("report-" + id);
        if (gone) {
          gone.parentNode.removeChild(gone);
          recount();
        }
        return null;
      }
      return res.ok ? res.text() : null;
    }).then(function (html) {
      if (!html) {
        return;
      }
      var holder = document.createElement("tbody");
      holder.innerHTML = html.trim();
      var row = holder.querySelector("tr");
      if (!row) {
        return;
      }
      var old = document.getElementById(row.id);
      if (old) {
        old.parentNode.replaceChild(row, old);
        row.classList.add("board-changed");
        window.setTimeout(function () { row.classList.remove("board-changed"); }, 5000);
      } else {
        place(row);
        cue(row);
      }
      recount();
      tick();
    }).catch(function () {});
  }

  // resync reloads the rows after a reconnection, since events sent while the stream
  // was down are not replayed.
  function resync() {
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (res) {
      return res.ok ? res.text() : null;
    }).then(function (html) {
      if (!html) {
        return;
      }
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("board-rows");
      if (fresh) {
        rows.innerHTML = fresh.innerHTML;
        recount();
        tick();
      }
    }).catch(function () {});
  }

  var opened = false;
  var events = new EventSource("/response/events");
  events.addEventListener("open", function () {
    setStatus("live");
    if (opened) {
      resync();
    }
    opened = true;
  });
  events.addEventListener("error", function () { setStatus("lost"); });
  events.addEventListener("report", function (e) {
    try {
      var data = JSON.parse(e.data);
      if (data && data.report) {
        update(data.report);
      }
    } catch (err) {
      // A malformed event is skipped.
    }
  });
  window.addEventListener("pagehide", function () { events.close(); });
  window.setInterval(tick, 30000);
  tick();
})();
