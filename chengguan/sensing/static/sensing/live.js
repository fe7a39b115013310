// Live view: HLS natively (Safari, mobile) or with the vendored hls.js; a plain video URL as is.
(function () {
  var video = document.getElementById("sense-live");
  if (!video) return;
  var src = video.dataset.src, error = document.getElementById("sense-live-error");
  function fail() { if (error) error.hidden = false; }
  video.addEventListener("error", fail);
  if (video.dataset.kind === "hls" && !video.canPlayType("application/vnd.apple.mpegurl") && window.Hls && window.Hls.isSupported()) {
    var hls = new window.Hls({ lowLatencyMode: true });
    hls.on(window.Hls.Events.ERROR, function (_e, data) { if (data.fatal) fail(); });
    hls.loadSource(src);
    hls.attachMedia(video);
  } else {
    video.src = src;
  }
})();
