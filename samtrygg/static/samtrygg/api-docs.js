/* The API documentation page: Swagger UI with the page's settings, sending the CSRF token with
   requests tried from the page (the browser's session is one way into the API). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var token = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  if (token) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = token;
      return request;
    };
  }
  window.SwaggerUIBundle(config);
})();
