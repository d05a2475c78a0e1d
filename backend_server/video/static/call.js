// The patient's side of a video consultation: name, device check, waiting room, call.
// Standard APIs only (getUserMedia, RTCPeerConnection, WebSocket, Web Audio), so it runs in
// current Chromium and Firefox. Signalling frames are handled strictly in arrival order,
// and remote ICE candidates wait until the remote description is set.
"use strict";

(function () {
  const STRINGS = window.PRAXISDESK_VIDEO_STRINGS;
  const body = document.body;
  const $ = (id) => document.getElementById(id);
  let lang = "de";
  try { lang = localStorage.getItem("praxisdesk-lang") === "en" ? "en" : "de"; } catch (e) { /* private mode */ }

  function t(key, values) {
    let text = (STRINGS[lang] && STRINGS[lang][key]) || STRINGS.de[key] || key;
    if (values) {
      Object.keys(values).forEach((k) => { text = text.split("{" + k + "}").join(values[k]); });
    }
    return text;
  }

  // Elements whose text depends on state keep their key in data-key.
  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-key]").forEach((el) => {
      el.textContent = t(el.dataset.key, el.dataset.values ? JSON.parse(el.dataset.values) : null);
    });
    const sw = $("lang-switch");
    sw.textContent = t("switchTo");
    sw.lang = lang === "de" ? "en" : "de";
    if (practiceName) { $("practice-name").textContent = practiceName; }
  }

  function setText(el, key, values) {
    el.dataset.key = key;
    if (values) { el.dataset.values = JSON.stringify(values); } else { delete el.dataset.values; }
    el.textContent = t(key, values);
  }

  function show(stepId) {
    document.querySelectorAll(".step").forEach((el) => { el.hidden = el.id !== stepId; });
    body.dataset.step = stepId;
  }

  let practiceName = "";
  $("lang-switch").addEventListener("click", () => {
    lang = lang === "de" ? "en" : "de";
    try { localStorage.setItem("praxisdesk-lang", lang); } catch (e) { /* ignore */ }
    applyLanguage();
  });

  const state = body.dataset.state;
  applyLanguage();
  if (state === "invalid") { show("invalid"); return; }
  if (state === "join" || state === "badcode") {
    show("join");
    $("badcode").hidden = state !== "badcode";
    return;
  }

  // --- the call flow ----------------------------------------------------------------------
  const token = decodeURIComponent(location.pathname.split("/")[2] || "");
  let iceServers = [];
  let patientName = "";
  let localStream = null;
  let audioContext = null;
  let meterTimer = null;
  let ws = null;
  let pc = null;
  let pendingIce = [];
  let chain = Promise.resolve();
  let finished = false;

  fetch("/v/" + encodeURIComponent(token) + "/info", { cache: "no-store" })
    .then((r) => { if (!r.ok) { throw new Error("invalid"); } return r.json(); })
    .then((info) => {
      iceServers = Array.isArray(info.ice_servers) ? info.ice_servers : [];
      practiceName = info.practice_name || "";
      applyLanguage();
      const at = new Date(info.scheduled_at);
      const date = at.toLocaleDateString("de-DE", { timeZone: "Europe/Berlin" });
      const time = at.toLocaleTimeString("de-DE", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" });
      setText($("appointment-time"), "appointmentAt", { date: date, time: time });
      show("name-step");
      $("name").focus();
    })
    .catch(() => show("invalid"));

  $("name-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("name").value.replace(/\s+/g, " ").trim();
    $("name-error").hidden = name.length >= 2;
    if (name.length < 2) { return; }
    patientName = name;
    show("check-step");
    startDevices();
  });

  function deviceErrorKey(error) {
    const name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") { return "deniedError"; }
    if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") { return "notFoundError"; }
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") { return "busyError"; }
    return "otherError";
  }

  function startDevices() {
    const error = $("device-error");
    error.hidden = true;
    $("retry").hidden = true;
    $("to-waiting").disabled = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.RTCPeerConnection) {
      setText(error, "unsupported");
      error.hidden = false;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: true })
      .then((stream) => {
        localStream = stream;
        $("preview").srcObject = stream;
        startMeter(stream);
        $("to-waiting").disabled = false;
        $("to-waiting").focus();
      })
      .catch((err) => {
        setText(error, deviceErrorKey(err));
        error.hidden = false;
        body.dataset.deviceError = err && err.name ? err.name : "Error";
        $("retry").hidden = false;
      });
  }
  $("retry").addEventListener("click", startDevices);

  function startMeter(stream) {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx || stream.getAudioTracks().length === 0) { return; }
    audioContext = new Ctx();
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 512;
    audioContext.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    meterTimer = setInterval(() => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (let i = 0; i < samples.length; i++) { peak = Math.max(peak, Math.abs(samples[i] - 128)); }
      const percent = Math.min(100, Math.round(peak / 128 * 100 * 1.5));
      $("level").style.width = percent + "%";
      body.dataset.level = String(percent);
    }, 100);
  }

  function stopMeter() {
    if (meterTimer) { clearInterval(meterTimer); meterTimer = null; }
    if (audioContext) { audioContext.close().catch(() => {}); audioContext = null; }
  }

  $("to-waiting").addEventListener("click", () => {
    stopMeter();
    show("waiting-step");
    connect();
  });

  // --- signalling -------------------------------------------------------------------------
  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(frame)); }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(scheme + "//" + location.host + "/v/" + encodeURIComponent(token) + "/signal");
    ws.onopen = () => send({ type: "hello", name: patientName });
    ws.onmessage = (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      // One after the other: an answer must be applied before the ICE that follows it.
      chain = chain.then(() => handle(frame)).catch((err) => { console.warn("signalling step failed", err && err.name); });
    };
    ws.onclose = (event) => {
      // Behind the frames that arrived before the close (e.g. "ended").
      chain = chain.then(() => {
        if (finished) { return; }
        closePeer();
        if (event.code === 4404) { finished = true; show("invalid"); return; }
        if (event.code === 4409) { finish("replaced"); return; }
        finish("connectionLost");
      });
    };
  }

  async function handle(frame) {
    switch (frame.type) {
      case "waiting":
        show("waiting-step");
        break;
      case "admitted":
        await startCall(frame.offerer);
        break;
      case "offer":
        if (!pc) { return; }
        await pc.setRemoteDescription({ type: "offer", sdp: frame.sdp });
        await flushIce();
        await pc.setLocalDescription(await pc.createAnswer());
        send({ type: "answer", sdp: pc.localDescription.sdp });
        break;
      case "answer":
        if (!pc) { return; }
        await pc.setRemoteDescription({ type: "answer", sdp: frame.sdp });
        await flushIce();
        break;
      case "ice":
        if (!pc || !frame.candidate) { return; }
        if (!pc.remoteDescription) { pendingIce.push(frame); return; }
        await addIce(frame);
        break;
      case "peer-left":
        closePeer();
        show("waiting-step");
        $("waiting-note").hidden = false;
        break;
      case "hangup":
      case "ended":
        finish(null);
        break;
      default:
        break; // unknown types are ignored
    }
  }

  async function addIce(frame) {
    try {
      await pc.addIceCandidate({ candidate: frame.candidate, sdpMid: frame.sdpMid, sdpMLineIndex: frame.sdpMLineIndex });
    } catch (err) {
      console.warn("ICE candidate refused", err && err.name);
    }
  }

  async function flushIce() {
    const queued = pendingIce;
    pendingIce = [];
    for (const frame of queued) { await addIce(frame); }
  }

  async function startCall(offerer) {
    closePeer();
    $("waiting-note").hidden = true;
    pc = new RTCPeerConnection({ iceServers: iceServers });
    const thisPc = pc;
    localStream.getTracks().forEach((track) => pc.addTrack(track, localStream));
    pc.onicecandidate = (event) => {
      if (event.candidate && event.candidate.candidate) {
        send({ type: "ice", candidate: event.candidate.candidate, sdpMid: event.candidate.sdpMid,
               sdpMLineIndex: event.candidate.sdpMLineIndex });
      }
    };
    pc.ontrack = (event) => {
      const remote = $("remote");
      const stream = event.streams && event.streams[0] ? event.streams[0] : new MediaStream([event.track]);
      if (remote.srcObject !== stream) {
        if (event.streams && event.streams[0]) { remote.srcObject = stream; }
        else {
          if (!remote.srcObject) { remote.srcObject = new MediaStream(); }
          remote.srcObject.addTrack(event.track);
        }
      }
    };
    pc.onconnectionstatechange = () => {
      if (pc !== thisPc) { return; }
      setText($("conn-state"), "state_" + pc.connectionState);
      body.dataset.connection = pc.connectionState;
    };
    setText($("conn-state"), "state_new");
    $("self").srcObject = localStream;
    show("call-step");
    if (offerer === "patient") {
      await pc.setLocalDescription(await pc.createOffer());
      send({ type: "offer", sdp: pc.localDescription.sdp });
    }
  }

  function closePeer() {
    pendingIce = [];
    if (pc) { pc.close(); pc = null; }
    $("remote").srcObject = null;
  }

  function finish(messageKey) {
    finished = true;
    closePeer();
    stopMeter();
    if (localStream) { localStream.getTracks().forEach((track) => track.stop()); }
    if (ws && ws.readyState <= WebSocket.OPEN) { ws.close(1000); }
    if (messageKey) { setText($("ended-step").querySelector("p"), messageKey); }
    show("ended-step");
  }

  $("mute").addEventListener("click", () => {
    const button = $("mute");
    const muted = button.getAttribute("aria-pressed") !== "true";
    localStream.getAudioTracks().forEach((track) => { track.enabled = !muted; });
    button.setAttribute("aria-pressed", String(muted));
    setText(button, muted ? "unmute" : "mute");
  });

  $("camera").addEventListener("click", () => {
    const button = $("camera");
    const off = button.getAttribute("aria-pressed") !== "true";
    localStream.getVideoTracks().forEach((track) => { track.enabled = !off; });
    button.setAttribute("aria-pressed", String(off));
    setText(button, off ? "cameraOn" : "cameraOff");
  });

  $("hangup").addEventListener("click", () => {
    send({ type: "hangup" });
    finish(null);
  });

  // For automated checks only: decoded/sent frame counts, no media and no addresses.
  window.praxisdeskVideoStats = async function () {
    if (!pc) { return null; }
    const report = await pc.getStats();
    const out = { framesDecoded: 0, framesSent: 0, audioPacketsReceived: 0, connectionState: pc.connectionState };
    report.forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video") { out.framesDecoded += s.framesDecoded || 0; }
      if (s.type === "outbound-rtp" && s.kind === "video") { out.framesSent += s.framesSent || 0; }
      if (s.type === "inbound-rtp" && s.kind === "audio") { out.audioPacketsReceived += s.packetsReceived || 0; }
    });
    return out;
  };
})();
