// The accessible mode in a browser tab: each command goes to the server over a websocket; each
// answer ({"lines": [...]}) is appended to the log as text (never parsed as HTML).
"use strict";
(function () {
  const body = document.body;
  const log = document.getElementById("log");
  const form = document.getElementById("command-form");
  const input = document.getElementById("command");
  const button = form.querySelector("button");
  const url = new URL(body.dataset.websocketUrl);
  const query = new URLSearchParams(window.location.search);
  for (const name of ["pane", "open", "lang"]) {
    const value = query.get(name);
    if (value) url.searchParams.set(name, value);
  }
  let opened = false;
  let ended = false;

  function append(lines, className) {
    const group = document.createElement("div");
    for (const line of lines) {
      const paragraph = document.createElement("p");
      paragraph.textContent = String(line);
      if (className) paragraph.className = className;
      group.appendChild(paragraph);
    }
    log.appendChild(group);
    form.scrollIntoView({ block: "end" });
  }

  function end(text) {
    if (ended) return;
    ended = true;
    input.disabled = true;
    button.disabled = true;
    append([text]);
  }

  const socket = new WebSocket(url.toString());
  socket.addEventListener("open", function () {
    opened = true;
  });
  socket.addEventListener("message", function (event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    if (message && Array.isArray(message.lines)) append(message.lines);
  });
  socket.addEventListener("close", function () {
    end(opened ? body.dataset.ended : body.dataset.unreachable);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (ended || socket.readyState !== WebSocket.OPEN) return;
    const text = input.value.slice(0, 1000);
    append(["> " + text], "command");
    socket.send(text);
    input.value = "";
    input.focus();
  });
})();
