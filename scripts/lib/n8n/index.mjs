// A managed local n8n for end-to-end tests, benchmarks and `npm start`:
// installs n8n on Node 24 into a per-user cache, installs community packages the
// way n8n does, and starts isolated instances that never outlive this process.
//
// Verified against n8n 2.41.1 (dist/ of the npm package):
// - Community packages: n8n extracts the npm tarball into
//   <userFolder>/.n8n/nodes/node_modules/<name>/ (tar --strip-components=1),
//   drops devDependencies/peerDependencies/optionalDependencies from its
//   package.json, runs `npm install --ignore-scripts` there, and records
//   {name: 'installed-nodes', private: true, dependencies: {<name>: <version>}} in
//   .n8n/nodes/package.json (modules/community-packages/community-packages.service.js).
// - REST: POST /rest/owner/setup {email, firstName, lastName, password} sets the auth
//   cookie itself; POST /rest/login {emailOrLdapLoginId, password}. The JWT is bound to
//   the `browser-id` request header when one is sent, so every REST call sends the same one.
//   REST responses are wrapped in {data}.
// - API keys: GET /rest/api-keys/scopes lists the scopes the user may grant;
//   POST /rest/api-keys {label, scopes, expiresAt: null} returns rawApiKey once.
// - Public API /api/v1 (header X-N8N-API-KEY): POST /workflows/{id}/publish and
//   /unpublish; PATCH /credentials/{id}; GET /executions pages with `cursor` and
//   `nextCursor`, `limit` at most 250.
// - Webhook requests: the body is parsed before the node runs; invalid JSON with
//   content-type application/json is answered 422 "Failed to parse request body" by n8n
//   itself (no execution). With responseMode 'onReceived' and no `responseData` in the
//   webhook description the reply body is the literal string "firstEntryJson" (the
//   default of that expression); {"message":"Workflow was started"} only comes when
//   responseData evaluates to an empty value.
// - /unpublish returns before the webhook is gone: poll for 404 (waitForWebhook).
// - Every main and worker process starts a task-runner broker on 5679
//   (N8N_RUNNERS_BROKER_PORT); parallel instances need their own port.
// - Workers have no HTTP server unless QUEUE_HEALTH_CHECK_ACTIVE=true; then
//   /healthz/readiness is served on QUEUE_HEALTH_CHECK_PORT (N8N_WORKER_SERVER_ADDRESS).
//
// One file per job, re-exported here for the scripts and tests that import this module:
//   common.mjs     repository root, Node 24 and npm, running a command
//   install.mjs    installing n8n into the cache
//   instance.mjs   packing this package, preparing an instance, CLI commands
//   processes.mjs  running and stopping n8n processes, waiting for webhooks
//   api.mjs        the owner, an API key and the public-API client
export * from './common.mjs';
export * from './install.mjs';
export * from './instance.mjs';
export * from './processes.mjs';
export * from './api.mjs';
