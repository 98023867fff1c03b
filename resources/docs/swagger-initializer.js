// Starts Swagger UI on /docs. Kept out of index.html so the page needs no inline script.
window.addEventListener("load", function () {
  "use strict";
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    // The default asks validator.swagger.io for a badge: no requests to other hosts.
    validatorUrl: null,
    // "Authorize" (POST /v1/login, OAuth2 password grant) survives a page reload.
    persistAuthorization: true,
    oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect.html",
    tryItOutEnabled: true,
    displayRequestDuration: true,
    filter: true,
  });
  // Authorize with a single sign-on provider (an openIdConnect scheme, when the server has
  // one): the authorization code flow with PKCE, as a public client in a browser must.
  window.ui.initOAuth({ usePkceWithAuthorizationCodeGrant: true });
});
