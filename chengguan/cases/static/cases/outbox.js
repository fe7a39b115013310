/* The supervisor's offline queue (待上传): a report is kept in IndexedDB with its photos, position, matter and a
   client id, and sent to POST /api/v1/cases with that id as the Idempotency-Key (a report sent twice — the
   answer lost on a bad line — is still one case). Sending starts at once, when the network comes back
   (`online`), every 30 s while something waits, on the page's 立即上传 button and on every page that shows the
   queue (`[data-outbox]`). A refused report stays in the queue with the server's reason until it is deleted.
   Without IndexedDB the form posts as a plain form. Labels come from the page (#outbox-labels, cases/_outbox.html). */
(function () {
  "use strict";

  var DB = "chengguan-outbox", STORE = "reports";

  function open() {
    return new Promise(function (resolve, reject) {
      var req = window.indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "clientId" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), store = t.objectStore(STORE), out = work(store);
        t.oncomplete = function () { db.close(); resolve(out && "result" in out ? out.result : out); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }
  function all() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
    });
  }
  function put(item) { return tx("readwrite", function (s) { s.put(item); }); }
  function drop(id) { return tx("readwrite", function (s) { s["delete"](id); }); }

  function clientId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "r-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function csrf(box) {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : (field ? field.value : box.dataset.csrf || "");
  }

  function Outbox(box) {
    this.box = box;
    var labels = document.getElementById("outbox-labels");
    this.labels = labels ? JSON.parse(labels.textContent) : {};
    this.api = box.dataset.api;
    this.caseUrl = box.dataset.caseUrl;  // ".../0/" : the 0 is replaced by the case id
    this.count = box.querySelector("[data-outbox-count]");
    this.list = box.querySelector("[data-outbox-items]");
    this.status = box.querySelector("[data-outbox-status]");
    this.sending = false;
    var self = this;
    var button = box.querySelector("[data-outbox-send]");
    if (button) { button.addEventListener("click", function () { self.send(); }); }
    window.addEventListener("online", function () { self.send(); });
    window.addEventListener("offline", function () { self.render(); });
    setInterval(function () { if (navigator.onLine) { self.send(true); } }, 30000);
  }

  Outbox.prototype.say = function (text) { if (this.status) { this.status.textContent = text || ""; } };

  Outbox.prototype.render = function () {
    var self = this, l = this.labels;
    return all().then(function (items) {
      // Shown while something waits, and after an upload with its result (已上传 n), until the page changes.
      self.box.hidden = items.length === 0 && !(self.status && self.status.textContent);
      self.count.textContent = l.waiting.replace("{n}", items.length);
      self.box.classList.toggle("offline", !navigator.onLine);
      self.list.innerHTML = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.dataset.clientId = item.clientId;
        var what = document.createElement("span");
        what.textContent = (item.fields.matter_code || "") + " " + (item.fields.description || "").slice(0, 30) +
          " · " + new Date(item.savedAt).toLocaleString("zh-CN") + (item.photos.length ? " · " + l.photos.replace("{n}", item.photos.length) : "");
        li.appendChild(what);
        if (item.error) {
          var err = document.createElement("p");
          err.className = "outbox-error";
          err.setAttribute("role", "alert");
          err.textContent = item.error;
          li.appendChild(err);
          var del = document.createElement("button");
          del.type = "button";
          del.className = "secondary small";
          del.textContent = l.remove;
          del.addEventListener("click", function () {
            if (window.confirm(l.confirmRemove)) { drop(item.clientId).then(function () { self.render(); }); }
          });
          li.appendChild(del);
        }
        self.list.appendChild(li);
      });
      return items;
    });
  };

  function reason(l, status, body) {
    if (body && body.detail) { return l.refused + body.detail; }
    if (status === 413) { return l.tooLarge; }
    if (status === 401 || status === 403) { return l.signIn; }
    return l.serverError.replace("{status}", status);
  }

  // Send every waiting report in order; stop at the first network failure (still offline).
  Outbox.prototype.send = function (quiet) {
    var self = this, l = this.labels;
    if (this.sending) { return Promise.resolve([]); }
    this.sending = true;
    var sent = [];
    return all().then(function (items) {
      if (!items.length) { return sent; }
      if (!quiet) { self.say(l.sending); }
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (go) {
          if (!go) { return false; }
          var form = new FormData();
          Object.keys(item.fields).forEach(function (k) { if (item.fields[k] !== "") { form.append(k, item.fields[k]); } });
          item.photos.forEach(function (p) { form.append("photos", p.blob, p.name); });
          return fetch(self.api, {
            method: "POST", body: form, credentials: "same-origin",
            headers: { "Idempotency-Key": item.clientId, "X-CSRFToken": csrf(self.box), "Accept": "application/json" }
          }).then(function (r) {
            return r.json().catch(function () { return null; }).then(function (body) {
              if (r.ok) {
                sent.push({ item: item, body: body });
                return drop(item.clientId).then(function () { return true; });
              }
              item.error = reason(l, r.status, body);
              item.tries = (item.tries || 0) + 1;
              return put(item).then(function () { return true; });
            });
          }, function () { return false; });  // no network: keep it and stop
        });
      });
      return chain.then(function (reached) {
        if (!quiet || sent.length) { self.say(reached ? (sent.length ? l.sent.replace("{n}", sent.length) : "") : l.offline); }
        return sent;
      });
    }).then(function (result) {
      self.sending = false;
      return self.render().then(function () {
        self.box.dispatchEvent(new CustomEvent("outbox:sent", { detail: result }));
        return result;
      });
    }, function (err) {
      self.sending = false;
      self.say(l.storageError);
      throw err;
    });
  };

  // The report form: keep the report in the queue, then send it; online, go to the new case as before.
  function takeOver(form, outbox) {
    var l = outbox.labels;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var lng = form.querySelector("[name=lng]"), lat = form.querySelector("[name=lat]");
      if (!lng.value || !lat.value) { outbox.say(l.noPosition); return; }
      var fields = {};
      ["matter_code", "description", "address", "severity", "lng", "lat", "crs"].forEach(function (k) {
        var f = form.querySelector("[name=" + k + "]");
        fields[k] = f ? f.value.trim() : "";
      });
      fields.source = "supervisor";
      fields.channel = "app";
      fields.reported_at = new Date().toISOString();  // when it was seen, not when the line came back
      var input = form.querySelector("input[type=file][name=photos]");
      var photos = Array.prototype.map.call(input ? input.files : [], function (f) {
        return { name: f.name, type: f.type, blob: f };
      });
      var item = { clientId: clientId(), fields: fields, photos: photos, savedAt: new Date().toISOString(), error: "" };
      var submit = form.querySelector("[type=submit]");
      if (submit) { submit.disabled = true; }
      put(item).then(function () {
        form.reset();
        lng.value = fields.lng; lat.value = fields.lat;  // the position stays for the next report
        return outbox.render();
      }).then(function () {
        return outbox.send();
      }).then(function (sent) {
        var mine = sent.filter(function (s) { return s.item.clientId === item.clientId; })[0];
        if (mine && mine.body && mine.body.id && outbox.caseUrl) {
          window.location.assign(outbox.caseUrl.replace("/0/", "/" + mine.body.id + "/"));
          return;
        }
        if (!mine) { outbox.say(navigator.onLine ? l.keptError : l.saved); }
      }).catch(function () {
        outbox.say(l.storageError);
      }).then(function () { if (submit) { submit.disabled = false; } });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-outbox]");
    if (!box || !window.indexedDB || !window.Promise || !window.fetch) { return; }
    var outbox = new Outbox(box);
    window.ChengguanOutbox = outbox;
    var form = document.getElementById(box.dataset.form || "");
    if (form) { takeOver(form, outbox); }
    outbox.render().then(function (items) { if (items.length && navigator.onLine) { outbox.send(true); } });
  });
})();
