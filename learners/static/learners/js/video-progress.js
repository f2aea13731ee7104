// A video lesson remembers where the student stopped: it starts there again and reports the
// position (whole seconds) to the progress API when paused, ended, left, and every 15 seconds played.
(function () {
  "use strict";
  var lesson = document.querySelector("[data-video-progress-url]");
  var video = lesson && lesson.querySelector("video");
  if (!video) {
    return;
  }
  var url = lesson.dataset.videoProgressUrl;
  var start = Number(lesson.dataset.videoPosition) || 0;
  var reported = start;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function report() {
    var position = Math.floor(video.currentTime);
    if (position === reported) {
      return;
    }
    reported = position;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ position_seconds: position }),
    }).then(function (response) {
      lesson.dataset.videoReported = response.ok ? String(position) : "failed";
    });
  }

  function resume() {
    if (start > 0 && (!isFinite(video.duration) || start < video.duration)) {
      video.currentTime = start;
    }
  }

  if (video.readyState >= 1) {
    resume();
  } else {
    video.addEventListener("loadedmetadata", resume, { once: true });
  }
  video.addEventListener("pause", report);
  video.addEventListener("ended", report);
  video.addEventListener("timeupdate", function () {
    if (Math.abs(video.currentTime - reported) >= 15) {
      report();
    }
  });
  window.addEventListener("pagehide", report);
})();
