/* Samtrygg's service worker: the report page and what it loads are kept in the phone, so that
   "Rapportera" opens without a connection once it has been visited. Reports written offline
   wait in the page's outbox (report.js) and are sent when the connection is back.
   Nothing else is cached; logging in or out empties the cache (a shared phone keeps nothing). */
"use strict";
var CACHE = "samtrygg-rapport-{{ version }}";
var REPORT = "{{ report_path }}";
var KEEP = ["{{ map_data_path }}"{% for image in map_images %}, "{{ image }}"{% endfor %}];
var FORGET = ["{{ login_path }}", "{{ logout_path }}"];

function keepPage(cache) {
  return fetch(REPORT, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok || response.redirected) { return null; }
    return response.clone().text().then(function (html) {
      var assets = [];
      html.replace(/(?:href|src)="(\/static\/[^"?#]+)"/g, function (all, path) { assets.push(path); return all; });
      return cache.put(REPORT, response).then(function () {
        return cache.addAll(assets.concat(KEEP));
      });
    });
  }).catch(function () { return null; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(keepPage).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("samtrygg-rapport-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromNetworkKeeping(request, key) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(key).then(function (found) { return found || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && FORGET.indexOf(url.pathname) >= 0) {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate" && url.pathname === REPORT) {
    event.respondWith(fromNetworkKeeping(request, REPORT));
  } else if (KEEP.indexOf(url.pathname) >= 0) {
    event.respondWith(fromNetworkKeeping(request, url.pathname));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(url.pathname).then(function (found) {
      return found || fromNetworkKeeping(request, url.pathname);
    }));
  }
});
