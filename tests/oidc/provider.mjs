// A real OpenID provider for the single sign-on suites: panva's oidc-provider (tools/package.json)
// on 127.0.0.1 and a free port, with test clients, accounts whose claims the test sets, key
// rotation on demand and a scripted login that drives the interaction endpoints with plain
// HTTP requests (no browser). Prints one JSON line {"issuer", "port"} when it listens; stops on
// SIGTERM or when stdin closes (the test process went away).
//
//   node tests/oidc/provider.mjs TOOLS_DIR
//
// Control routes (test only, under /__test/):
//   POST /__test/accounts  {"id", "email", "email_verified", "groups"}   add or replace an account
//   POST /__test/login     {"url", "account"} -> {"location"}            sign in through the
//        authorization URL as that account and consent; answers where the provider sends the
//        browser back (the client's redirect_uri with code and state), without going there
//   POST /__test/rotate    -> {"kid"}   a new signing key; the old one is no longer published
//   POST /__test/sign      {"claims", "header"} -> {"token"}   a JWT signed with the current key
//   GET  /__test/stats     -> {"jwks", "userinfo"}  how often the key set and userinfo were fetched
//   POST /__test/conform   {"on"}   conformIdTokenClaims: profile claims (email, groups) only
//        from the userinfo endpoint, not in the ID token of the code flow
//   POST /__test/userinfo  {"answer"}   the userinfo endpoint answers this object (a forgery
//        test), until it is set to null
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const tools = process.argv[2];
if (!tools) {
  console.error('usage: node provider.mjs TOOLS_DIR');
  process.exit(2);
}
const load = (name, entry) => import(pathToFileURL(path.join(tools, 'node_modules', name, entry)).href);
const { default: Provider } = await load('oidc-provider', 'lib/index.js');
const jose = await load('jose', 'dist/node/esm/index.js');

const accounts = new Map();
const stats = { jwks: 0, userinfo: 0 };
let conformIdTokenClaims = false;
let userinfoAnswer = null;
let keyNumber = 0;
let signingKey; // { kid, privateJwk, privateKey }
let provider;
let issuer;

async function newKey() {
  keyNumber += 1;
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const privateJwk = await jose.exportJWK(privateKey);
  const kid = `test-key-${keyNumber}`;
  Object.assign(privateJwk, { kid, alg: 'RS256', use: 'sig' });
  return { kid, privateJwk, privateKey };
}

function makeProvider() {
  const configuration = {
    clients: [
      {
        client_id: 'outpost',
        client_secret: 'outpost-secret',
        application_type: 'native', // loopback redirects on any port (RFC 8252 7.3)
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        client_id: 'outpost-public',
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      },
      {
        client_id: 'machine',
        client_secret: 'machine-secret',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'read pipelines:write',
      },
    ],
    jwks: { keys: [signingKey.privateJwk] },
    findAccount: async (ctx, id) => {
      if (!accounts.has(id)) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...accounts.get(id) }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], groups: ['groups'] },
    scopes: ['openid', 'email', 'groups', 'read', 'pipelines:write', 'files:write'],
    // false: the claims of the scopes asked for go into the ID token; true: only into userinfo.
    conformIdTokenClaims,
    pkce: { methods: ['S256'], required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => false,
        getResourceServerInfo: (ctx, resource) => ({
          scope: 'read pipelines:write files:write',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['outpost-test-cookie-key'] },
  };
  const made = new Provider(issuer, configuration);
  made.on('server_error', (ctx, error) => console.error('provider error:', error));
  return made;
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

// The interaction pages a person would see: a login form, then a consent form. The scripted
// login posts them; a POST signs in as the account named in the form and grants what the
// client asked for.
async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<form method="post" action="/interaction/${uid}"><input name="login"><button>${details.prompt.name}</button></form>`);
    return;
  }
  const form = await readForm(req);
  if (details.prompt.name === 'login') {
    const accountId = form.get('login');
    if (!accounts.has(accountId)) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'unknown account' });
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    return;
  }
  const { prompt: { details: missing }, params, session } = details;
  const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

// A browser in a few lines: follows the provider's redirects with its cookies, fills in the
// interaction forms, and stops at the first redirect that leaves the provider.
async function scriptedLogin(url, account) {
  const cookies = new Map();
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /expires=.*1970/i.test(a));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  let next = new URL(url);
  for (let step = 0; step < 20; step += 1) {
    if (next.origin !== issuer) return next.href;
    let response;
    if (next.pathname.startsWith('/interaction/')) {
      response = await fetch(next, { redirect: 'manual', headers: { cookie: cookieHeader() } });
      remember(response);
      await response.text();
      response = await fetch(next, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: account }).toString(),
      });
    } else {
      response = await fetch(next, { redirect: 'manual', headers: { cookie: cookieHeader() } });
    }
    remember(response);
    const body = await response.text();
    const location = response.headers.get('location');
    if (!location) throw new Error(`no redirect from ${next.pathname} (${response.status}): ${body.slice(0, 300)}`);
    next = new URL(location, next);
  }
  throw new Error('too many redirects');
}

async function control(req, res, pathname) {
  if (pathname === '/__test/accounts' && req.method === 'POST') {
    const { id, ...claims } = await readJson(req);
    accounts.set(id, claims);
    return answer(res, 200, { id });
  }
  if (pathname === '/__test/login' && req.method === 'POST') {
    const { url, account } = await readJson(req);
    return answer(res, 200, { location: await scriptedLogin(url, account) });
  }
  if (pathname === '/__test/rotate' && req.method === 'POST') {
    signingKey = await newKey();
    provider = makeProvider();
    return answer(res, 200, { kid: signingKey.kid });
  }
  if (pathname === '/__test/sign' && req.method === 'POST') {
    const { claims = {}, header = {} } = await readJson(req);
    const now = Math.floor(Date.now() / 1000);
    const token = await new jose.SignJWT({ iss: issuer, iat: now, exp: now + 300, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid, typ: 'at+jwt', ...header })
      .sign(signingKey.privateKey);
    return answer(res, 200, { token });
  }
  if (pathname === '/__test/stats' && req.method === 'GET') return answer(res, 200, stats);
  if (pathname === '/__test/conform' && req.method === 'POST') {
    conformIdTokenClaims = Boolean((await readJson(req)).on);
    provider = makeProvider();
    return answer(res, 200, { conformIdTokenClaims });
  }
  if (pathname === '/__test/userinfo' && req.method === 'POST') {
    userinfoAnswer = (await readJson(req)).answer ?? null;
    return answer(res, 200, { answer: userinfoAnswer });
  }
  return answer(res, 404, { error: 'no such control route' });
}

const server = http.createServer(async (req, res) => {
  try {
    const { pathname } = new URL(req.url, issuer);
    if (pathname.startsWith('/__test/')) return await control(req, res, pathname);
    const uid = pathname.match(/^\/interaction\/([^/]+)$/)?.[1];
    if (uid) return await interaction(req, res, uid);
    if (pathname === '/jwks') stats.jwks += 1;
    if (pathname === '/me') {
      stats.userinfo += 1;
      if (userinfoAnswer) return answer(res, 200, userinfoAnswer);
    }
    return provider.callback()(req, res);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) answer(res, 500, { error: String(error?.message ?? error) });
    else res.end();
  }
});

server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  issuer = `http://127.0.0.1:${port}`;
  signingKey = await newKey();
  provider = makeProvider();
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
