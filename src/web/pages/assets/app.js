// callgrade review pages: seeking, highlighting and keyboard shortcuts. Everything here is an
// extra: without it every `#t=` link still lands on the page and the forms still post.
(function () {
  "use strict";
  var player = document.getElementById("player");

  function seek(t) {
    if (!player || !isFinite(t)) return;
    player.currentTime = t;
    var playing = player.play();
    if (playing && playing.catch) playing.catch(function () {});
  }

  function timeOf(hash) {
    var m = /^#t=([0-9]+(?:\.[0-9]+)?)$/.exec(hash || "");
    return m ? parseFloat(m[1]) : NaN;
  }

  // Quotes, transcript times and timeline shapes are all `#t=` links.
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a") : null;
    var href = a && (a.getAttribute("href") || a.getAttribute("xlink:href"));
    var t = timeOf(href);
    if (!isNaN(t)) {
      e.preventDefault();
      seek(t);
      return;
    }
    // A click on the strip's background seeks to that point of the call.
    var svg = e.target.closest ? e.target.closest("svg.timeline") : null;
    if (svg && !a) {
      var box = svg.getBoundingClientRect();
      var width = parseFloat(svg.dataset.width), left = parseFloat(svg.dataset.left),
        right = parseFloat(svg.dataset.right), duration = parseFloat(svg.dataset.duration);
      var x = (e.clientX - box.left) / box.width * width;
      if (x >= left && x <= right) seek((x - left) / (right - left) * duration);
    }
  });

  // The line being played is highlighted, and the strip's playhead follows.
  var lines = Array.prototype.slice.call(document.querySelectorAll(".line[data-start]"));
  var current = null;
  function follow() {
    var t = player.currentTime, found = null;
    for (var i = 0; i < lines.length; i++) {
      var s = parseFloat(lines[i].dataset.start), e = parseFloat(lines[i].dataset.end);
      if (t >= s && t < e) { found = lines[i]; break; }
    }
    if (found !== current) {
      if (current) current.classList.remove("playing");
      if (found) found.classList.add("playing");
      current = found;
    }
    var svg = document.querySelector("svg.timeline"), head = svg && svg.querySelector(".playhead");
    if (head) {
      var left = parseFloat(svg.dataset.left), right = parseFloat(svg.dataset.right),
        duration = parseFloat(svg.dataset.duration);
      var x = left + Math.min(1, t / duration) * (right - left);
      head.setAttribute("x1", x);
      head.setAttribute("x2", x);
    }
  }
  if (player) {
    player.addEventListener("timeupdate", follow);
    player.addEventListener("seeked", follow);
    var start = timeOf(location.hash);
    if (!isNaN(start)) {
      player.addEventListener("loadedmetadata", function () { player.currentTime = start; });
    }
  }

  // Space plays and pauses; j and k go to the next and previous call of the review queue.
  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || tag === "button" ||
        e.target.isContentEditable || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === " " && player) {
      e.preventDefault();
      if (player.paused) player.play(); else player.pause();
    } else if (e.key === "j" || e.key === "k") {
      var link = document.getElementById(e.key === "j" ? "next-call" : "prev-call");
      if (link) location.href = link.href;
    }
  });
})();
