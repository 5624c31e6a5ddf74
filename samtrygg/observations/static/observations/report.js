/* The report form: one or more incidents, a map per incident to tap where it happened (or
   a named place, or the device position), a draft kept in the browser, and an outbox that
   sends the report when the connection is back. The server stores a report once per
   client_uuid, so sending again after a lost answer never makes a duplicate.

   Without JS the same form posts to the page and works (no draft, no outbox). No inline
   script: everything is set up from data- attributes (the content security policy). */
(function () {
  "use strict";

  // Names typed by people go into tooltips as text, and the boundaries' styles (both from
  // samtrygg/map.js, loaded first).
  var plainText = window.Samtrygg.plainText;

  var STYLE = window.Samtrygg.STYLE;
  var mapData = {};

  /* The texts come from the page in the person's language (a json_script block made by
     Django, id "report-texts"); these Swedish ones stand in when the block is missing or
     lacks a text. %(name)s marks a value the script fills in; a counted text has two forms,
     "one" for 1 and "other" otherwise (the plural rule of Swedish and English). */
  var SWEDISH = {
    point: "Vald punkt på kartan",
    position: "Din position",
    place: "Plats: %(place)s",
    noPosition: "Positionen kunde inte hämtas. Tryck på kartan i stället.",
    locating: "Hämtar din position …",
    sent: { one: "Tack! Rapporten är skickad (%(n)s händelse).", other: "Tack! Rapporten är skickad (%(n)s händelser)." },
    offline: "Ingen uppkoppling. Rapporten är sparad i telefonen och skickas automatiskt när du är uppkopplad igen.",
    retry: "Rapporten kunde inte skickas just nu. Den är sparad i telefonen och skickas igen strax.",
    sending: "Skickar rapporten …",
    restored: "Ett utkast som inte hade skickats är återställt.",
    login: "Du är inte inloggad längre. Logga in igen – rapporten är sparad i telefonen och skickas sedan.",
    refused: "Rapporten är inte skickad: %(detail)s",
    marked: "Rapporten är inte skickad. Rätta det som är markerat.",
    seeList: "Visa rapporterna",
    noTime: "Ange klockslag eller välj ett tidsband."
  };
  var TEXTS = (function () {
    var block = document.getElementById("report-texts");
    try { return (block && JSON.parse(block.textContent)) || {}; } catch (e) { return {}; }
  })();

  function text(key, values) {
    var found = TEXTS[key];
    var fallback = SWEDISH[key];
    var usable = found && typeof found === typeof fallback &&
      (typeof found === "string" || (typeof found.one === "string" && typeof found.other === "string"));
    var message = usable ? found : fallback;
    values = values || {};
    if (typeof message !== "string") { message = values.n === 1 ? message.one : message.other; }
    return message.replace(/%\((\w+)\)[sd]/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    });
  }

  function loadMapData(url) {
    if (!mapData[url]) {
      mapData[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      });
    }
    return mapData[url];
  }

  function el(fs, role) { return fs.querySelector("[data-role='" + role + "']"); }
  function named(fs, name) { return fs.querySelector("[name='" + name + "-" + fs.dataset.incident + "']"); }

  /* --- Where: the map, a named place, the device position ----------------------------- */

  function showPoint(fs, lat, lon) {
    var map = fs._map;
    if (!map) { return; }
    var latlng = L.latLng(lat, lon);
    if (fs._marker) { fs._marker.setLatLng(latlng); }
    else { fs._marker = L.marker(latlng, { title: text("point"), alt: text("point") }).addTo(map); }
  }

  function setPoint(fs, lat, lon, precision, label) {
    el(fs, "lat").value = Number(lat).toFixed(6);
    el(fs, "lon").value = Number(lon).toFixed(6);
    el(fs, "precision").value = precision;
    el(fs, "place").value = "";
    el(fs, "where-status").textContent = label;
    showPoint(fs, lat, lon);
    changed();
  }

  function setupMap(fs) {
    var box = fs.querySelector("[data-pick-map]");
    if (!box || box._done || typeof L === "undefined") { return; }
    box._done = true;
    var map = L.map(box, { zoomSnap: 0.25, maxZoom: 18, tap: false });
    fs._map = map;
    box._samtryggMap = map;
    if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    map.setView([62.5, 16.5], 5);
    loadMapData(box.dataset.geojson).then(function (data) {
      var areaBounds = null, kommunBounds = null;
      L.geoJSON(data, {
        filter: function (f) { return f.properties.kind !== "place"; },
        style: function (f) { return f.properties.kind === "kommun" ? STYLE.kommun : STYLE.area; },
        interactive: false,
        onEachFeature: function (f, layer) {
          if (f.properties.kind === "kommun") { kommunBounds = layer.getBounds(); }
          else if (f.properties.kind === "area") {
            areaBounds = areaBounds ? areaBounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
          }
        }
      }).addTo(map);
      data.features.filter(function (f) { return f.properties.kind === "place"; }).forEach(function (f) {
        var c = f.geometry.coordinates;
        L.circleMarker([c[1], c[0]], { radius: 5, color: "#12324f", weight: 1, fillOpacity: 0.7, interactive: false })
          .bindTooltip(plainText(f.properties.name)).addTo(map);
      });
      var bounds = areaBounds || kommunBounds;
      if (bounds) { map.fitBounds(bounds, { padding: [8, 8] }); }
      box.dataset.ready = "1";
      var lat = el(fs, "lat").value, lon = el(fs, "lon").value;
      if (lat && lon) { showPoint(fs, Number(lat), Number(lon)); }
      else { placeChanged(fs, true); }
    }).catch(function () {
      box.dataset.ready = "0";
    });
    map.on("click", function (e) {
      setPoint(fs, e.latlng.lat, e.latlng.lng, "punkt", text("point"));
    });
  }

  function placeChanged(fs, quiet) {
    var select = el(fs, "place");
    var option = select.options[select.selectedIndex];
    if (!select.value || !option) { return; }
    el(fs, "precision").value = "plats";
    el(fs, "lat").value = "";
    el(fs, "lon").value = "";
    el(fs, "where-status").textContent = text("place", { place: option.textContent });
    if (option.dataset.lat) { showPoint(fs, Number(option.dataset.lat), Number(option.dataset.lon)); }
    if (!quiet) { changed(); }
  }

  function setupIncident(fs) {
    setupMap(fs);
    el(fs, "place").addEventListener("change", function () { placeChanged(fs, false); });
    var locate = el(fs, "locate");
    if (navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        el(fs, "where-status").textContent = text("locating");
        navigator.geolocation.getCurrentPosition(function (pos) {
          setPoint(fs, pos.coords.latitude, pos.coords.longitude, "position", text("position"));
          if (fs._map) { fs._map.setView([pos.coords.latitude, pos.coords.longitude], 16); }
        }, function () {
          el(fs, "where-status").textContent = text("noPosition");
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }
    ["lat", "lon"].forEach(function (role) {
      el(fs, role).addEventListener("change", function () {
        if (el(fs, "lat").value && el(fs, "lon").value && !el(fs, "precision").value) {
          el(fs, "precision").value = "punkt";
        }
      });
    });
  }

  var form = document.getElementById("report-form") || document.getElementById("edit-form");
  if (!form) { return; }
  var incidents = form.querySelector("#incidents") || form;
  Array.prototype.forEach.call(form.querySelectorAll("fieldset.incident"), setupIncident);
  if (form.id !== "report-form") { return; }

  /* --- The report form: incidents, draft, outbox ------------------------------------- */

  var template = document.getElementById("incident-template");
  var statusBox = document.getElementById("report-status");
  var draftKey = form.dataset.draftKey;
  var outboxKey = draftKey + ":utkorg";
  var apiUrl = form.dataset.apiUrl;
  var restoring = false;
  var flushing = false;
  var reveal = false;  // the person just pressed "Skicka rapporten": show what became of it

  // The status is a live region from the start (empty, so the CSS collapses it): a region
  // that appears together with its text is not always read out. It can take focus.
  statusBox.hidden = false;
  statusBox.setAttribute("tabindex", "-1");

  function fieldsets() { return Array.prototype.slice.call(incidents.querySelectorAll("fieldset.incident")); }

  function nextIndex() {
    return fieldsets().reduce(function (max, fs) { return Math.max(max, Number(fs.dataset.incident) + 1); }, 0);
  }

  function renumber() {
    var all = fieldsets();
    all.forEach(function (fs, i) {
      fs.querySelector(".incident-number").textContent = String(i + 1);
      var remove = el(fs, "remove-incident");
      if (remove) { remove.hidden = all.length === 1; }
    });
  }

  function addIncident(values) {
    var index = nextIndex();
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__i__/g, String(index)).replace(/__n__/g, String(index + 1));
    var fs = holder.querySelector("fieldset.incident");
    incidents.appendChild(fs);
    var previous = fieldsets()[fieldsets().length - 2];
    if (!values && previous) {
      named(fs, "occurred_on").value = named(previous, "occurred_on").value;
    }
    if (values) { fill(fs, values); }
    setupIncident(fs);
    renumber();
    return fs;
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  var FIELDS = ["category", "occurred_on", "time", "time_band", "place", "lat", "lon", "precision",
    "description", "assessment", "people_count", "source", "police_reported"];

  function read(fs) {
    var out = {};
    FIELDS.forEach(function (name) {
      var inputs = fs.querySelectorAll("[name='" + name + "-" + fs.dataset.incident + "']");
      if (!inputs.length) { return; }
      var first = inputs[0];
      if (first.type === "radio") {
        var checked = Array.prototype.filter.call(inputs, function (i) { return i.checked; })[0];
        out[name] = checked ? checked.value : "";
      } else if (first.type === "checkbox") {
        out[name] = first.checked;
      } else {
        out[name] = first.value;
      }
    });
    return out;
  }

  function fill(fs, values) {
    FIELDS.forEach(function (name) {
      if (!(name in values)) { return; }
      var inputs = fs.querySelectorAll("[name='" + name + "-" + fs.dataset.incident + "']");
      Array.prototype.forEach.call(inputs, function (input) {
        if (input.type === "radio") { input.checked = input.value === values[name]; }
        else if (input.type === "checkbox") { input.checked = !!values[name]; }
        else { input.value = values[name] == null ? "" : values[name]; }
      });
    });
    var where = el(fs, "where-status");
    if (values.precision === "punkt") { where.textContent = text("point"); }
    else if (values.precision === "position") { where.textContent = text("position"); }
    if (fs._map && values.lat && values.lon) { showPoint(fs, Number(values.lat), Number(values.lon)); }
  }

  function snapshot() {
    var org = form.querySelector("[name='organisation']");
    return {
      client_uuid: form.querySelector("[name='client_uuid']").value,
      organisation: org ? org.value : "",
      incidents: fieldsets().map(read)
    };
  }

  function isEmpty(snap) {
    return snap.incidents.every(function (v) {
      return !v.category && !v.description && !v.lat && !v.place && !v.time_band && !v.time && !v.assessment;
    });
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function saveDraft() {
    var store = storage();
    if (!store || restoring) { return; }
    var snap = snapshot();
    if (isEmpty(snap)) { store.removeItem(draftKey); }
    else { store.setItem(draftKey, JSON.stringify(snap)); }
  }

  var draftTimer = null;
  function changed() {
    if (draftTimer) { clearTimeout(draftTimer); }
    draftTimer = setTimeout(saveDraft, 250);
  }

  function restore(snap) {
    restoring = true;
    fieldsets().forEach(function (fs, i) { if (i > 0) { fs.parentNode.removeChild(fs); } });
    form.querySelector("[name='client_uuid']").value = snap.client_uuid || uuid4();
    var org = form.querySelector("[name='organisation']");
    if (org && snap.organisation) { org.value = snap.organisation; }
    (snap.incidents || []).forEach(function (values, i) {
      if (i === 0) { fill(fieldsets()[0], values); }
      else { addIncident(values); }
    });
    renumber();
    restoring = false;
  }

  function resetForm() {
    restoring = true;
    fieldsets().forEach(function (fs, i) { if (i > 0) { fs.parentNode.removeChild(fs); } });
    var first = fieldsets()[0];
    var keepDate = named(first, "occurred_on").value;
    form.reset();
    named(first, "occurred_on").value = keepDate;
    el(first, "lat").value = "";
    el(first, "lon").value = "";
    el(first, "precision").value = "";
    el(first, "where-status").textContent = "";
    if (first._marker) { first._map.removeLayer(first._marker); first._marker = null; }
    clearErrors();
    form.querySelector("[name='client_uuid']").value = uuid4();
    renumber();
    restoring = false;
    var store = storage();
    if (store) { store.removeItem(draftKey); }
  }

  function status(kind, message, link) {
    statusBox.hidden = false;
    statusBox.className = "report-status " + kind;
    statusBox.textContent = message;
    if (link) {
      statusBox.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = form.dataset.listUrl;
      a.textContent = text("seeList");
      statusBox.appendChild(a);
    }
    statusBox.dataset.state = kind;
    if (reveal) { showStatus(); }
  }

  /* Bring the status into view and give it focus (a screen reader reads it), unless the
     person has already gone on to fill in a field. */
  function showStatus() {
    var active = document.activeElement;
    var busy = active && active !== statusBox && form.contains(active) && active.type !== "submit";
    if (busy) { return; }
    statusBox.scrollIntoView({ block: "start" });
    statusBox.focus({ preventScroll: true });
  }

  function number(value) {
    if (value === "" || value == null) { return null; }
    var n = Number(String(value).replace(",", "."));
    return isNaN(n) ? null : n;
  }

  function payloadOf(snap) {
    return {
      client_uuid: snap.client_uuid,
      organisation_id: snap.organisation ? Number(snap.organisation) : null,
      incidents: snap.incidents.map(function (v) {
        return {
          category: v.category || "",
          occurred_on: v.occurred_on || "",
          time: v.time || null,
          time_band: v.time_band || null,
          place_id: v.place ? Number(v.place) : null,
          lat: v.place ? null : number(v.lat),
          lon: v.place ? null : number(v.lon),
          location_precision: v.place ? "plats" : (v.precision || null),
          description: v.description || "",
          assessment: v.assessment ? Number(v.assessment) : null,
          people_count: v.people_count === "" ? null : number(v.people_count),
          source: v.source || null,
          police_reported: !!v.police_reported
        };
      })
    };
  }

  function outbox() {
    var store = storage();
    try { return JSON.parse((store && store.getItem(outboxKey)) || "[]"); } catch (e) { return []; }
  }

  function saveOutbox(items) {
    var store = storage();
    if (!store) { return; }
    if (items.length) { store.setItem(outboxKey, JSON.stringify(items)); }
    else { store.removeItem(outboxKey); }
  }

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (p) { p.parentNode.removeChild(p); });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (i) { i.removeAttribute("aria-invalid"); });
    Array.prototype.forEach.call(form.querySelectorAll("[data-error-for]"), function (i) {
      var ids = (i.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== i.dataset.errorFor;
      });
      if (ids.length) { i.setAttribute("aria-describedby", ids.join(" ")); }
      else { i.removeAttribute("aria-describedby"); }
      delete i.dataset.errorFor;
    });
  }

  // The API's names for a field (incidents[0].place_id, or incidents.0.lat when the JSON
  // itself was refused) and the form's.
  var FIELD_NAMES = { location: "place", place_id: "place", location_precision: "place" };

  /* A refusal: each field it concerns gets its explanation right below it; the first such
     field is scrolled into view together with it and gets focus. Returns whether every
     explanation found its field (else the status says it, and gets focus). */
  function markErrors(problems) {
    clearErrors();
    var first = null;
    var placed = problems.filter(function (problem) {
      var shown = markError(problem.field, problem.detail);
      if (shown && !first) { first = shown; }
      return shown;
    }).length;
    if (!first) { showStatus(); return false; }
    (first.checked || first.input).focus({ preventScroll: true });
    showTogether([form.querySelector("label[for='" + first.input.id + "']"), first.group || first.input, first.note]);
    return placed === problems.length;
  }

  /* One field's explanation, right below it (after the explanation it already has, if the
     same field is refused twice). Returns where it went, or null when no field is named. */
  function markError(field, message) {
    var match = /^incidents(?:\[(\d+)\]|\.(\d+))\.(\w+)$/.exec(field || "");
    var fs = fieldsets()[match ? Number(match[1] || match[2]) : 0];
    var name = match ? match[3] : field;
    name = FIELD_NAMES[name] || name;
    var inputs = [];
    if (name === "organisation" || name === "organisation_id") {
      inputs = form.querySelectorAll("[name='organisation']");
    } else if (fs && name) {
      // The field name comes from the server: only a plain name goes into the selector.
      inputs = /^\w+$/.test(name) ? fs.querySelectorAll("[name='" + name + "-" + fs.dataset.incident + "']") : [];
    }
    var input = Array.prototype.filter.call(inputs, function (i) { return i.type !== "hidden"; })[0];
    if (!input) { return null; }
    var closed = input.closest("details");
    if (closed) { closed.open = true; }
    var id = input.name + "-error";
    var group = input.closest(".chips, .scale");
    var note = document.getElementById(id);
    if (note) {
      note.textContent = note.textContent + " " + message;
    } else {
      note = document.createElement("p");
      note.className = "field-error";
      note.id = id;
      note.textContent = message;
      var after = group || input.closest("label") || input;  // not inside a radio's or checkbox's label
      after.parentNode.insertBefore(note, after.nextSibling);
      Array.prototype.forEach.call(inputs, function (i) {
        i.setAttribute("aria-invalid", "true");
        i.setAttribute("aria-describedby", ((i.getAttribute("aria-describedby") || "") + " " + id).trim());
        i.dataset.errorFor = id;
      });
    }
    var checked = Array.prototype.filter.call(inputs, function (i) { return i.checked; })[0];
    return { input: input, checked: checked, group: group, note: note };
  }

  /* Scroll so that the field's label, the field and its explanation are all on screen. */
  function showTogether(elements) {
    var boxes = elements.filter(Boolean).map(function (e) { return e.getBoundingClientRect(); });
    var top = Math.min.apply(null, boxes.map(function (b) { return b.top; }));
    var bottom = Math.max.apply(null, boxes.map(function (b) { return b.bottom; }));
    var room = window.innerHeight;
    var shift = bottom - top < room ? top - (room - (bottom - top)) / 2 : bottom - room + 16;
    window.scrollBy(0, shift);
  }

  function csrf() {
    var input = form.querySelector("[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function flush() {
    var items = outbox();
    if (!items.length || flushing) { return; }
    if (navigator.onLine === false) { status("pending", text("offline")); reveal = false; return; }
    flushing = true;
    var item = items[0];
    status("pending", text("sending"));
    fetch(apiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify(item.payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }).then(function (answer) {
      flushing = false;
      var rest = outbox().filter(function (x) { return x.payload.client_uuid !== item.payload.client_uuid; });
      if (answer.status === 200 || answer.status === 201) {
        saveOutbox(rest);
        var n = (answer.body.observations || []).length;
        status("ok", text("sent", { n: n }), true);
        form.dataset.lastReport = String(answer.body.id || "");
        reveal = false;
        flush();
      } else if (answer.status === 401) {
        status("error", text("login"));
      } else if (answer.status >= 400 && answer.status < 500) {
        // Refused: it will never go through as it is; put it back in the form to correct.
        saveOutbox(rest);
        restore(item.form);
        saveDraft();
        // Every field's refusal ("errors"), or the one the answer names ("field").
        var detail = answer.body.detail || "";
        var problems = (answer.body.errors || []).filter(function (e) { return e && e.field; });
        if (!problems.length) { problems = [{ field: answer.body.field, detail: detail.split("\n")[0] }]; }
        reveal = false;  // the field gets focus, not the status
        status("error", problems.length > 1 ? text("marked") : text("refused", { detail: detail }));
        if (!markErrors(problems) && problems.length > 1) { status("error", text("refused", { detail: detail })); }
      } else {
        status("pending", text("retry"));
        setTimeout(flush, 15000);
      }
      reveal = false;  // what happens later (a retry, the connection back) does not move focus
    }).catch(function () {
      flushing = false;
      status("pending", navigator.onLine === false ? text("offline") : text("retry"));
      reveal = false;
      setTimeout(flush, 15000);
    });
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    var action = button ? button.value : "send";
    event.preventDefault();
    if (action === "add") {
      var fs = addIncident();
      named(fs, "category").focus();
      saveDraft();
      return;
    }
    if (action.indexOf("remove-") === 0) {
      var remove = button.closest("fieldset.incident");
      if (fieldsets().length > 1 && remove) { remove.parentNode.removeChild(remove); }
      renumber();
      saveDraft();
      return;
    }
    var snap = snapshot();
    // Caught here, before the report leaves the phone: every incident needs a time band or a
    // time (without a connection the server could only say so much later).
    var untimed = snap.incidents.map(function (v, i) { return v.time || v.time_band ? -1 : i; })
      .filter(function (i) { return i >= 0; })[0];
    if (untimed !== undefined) {
      reveal = false;
      status("error", text("refused", { detail: text("noTime") }));
      markErrors([{ field: "incidents[" + untimed + "].time_band", detail: text("noTime") }]);
      return;
    }
    var items = outbox().filter(function (x) { return x.payload.client_uuid !== snap.client_uuid; });
    items.push({ payload: payloadOf(snap), form: snap });
    saveOutbox(items);
    resetForm();
    reveal = true;
    flush();
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { if (outbox().length) { status("pending", text("offline")); } });
  setInterval(function () { if (outbox().length) { flush(); } }, 30000);

  var store = storage();
  var draft = null;
  try { draft = JSON.parse((store && store.getItem(draftKey)) || "null"); } catch (e) { draft = null; }
  if (draft && !isEmpty(draft) && !form.querySelector(".field-error")) {
    restore(draft);
    status("pending", text("restored"));
  }
  renumber();
  // Keep this page and what it loads in the phone, so that it opens without a connection.
  if ("serviceWorker" in navigator && form.dataset.serviceWorker) {
    navigator.serviceWorker.register(form.dataset.serviceWorker, { scope: "/" }).catch(function () {});
  }
  form.dataset.ready = "1";
  flush();
})();
