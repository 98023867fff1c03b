// Opens /docs of a running outpost-server in Debian's headless Chromium (driven by
// playwright-core from tools/node_modules) and checks that Swagger UI works under the page's
// Content-Security-Policy: it renders, nothing is refused by the policy, and "Try it out" +
// "Execute" on GET /healthz gets its 200. Saves a screenshot.
// Usage: node docs-browser.mjs BASE_URL SCREENSHOT.png PROFILE_DIR
// Exit status 0 when all holds; otherwise 1 with the reason on stderr.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../tools/package.json"));
const { chromium } = require("playwright-core");

const [baseUrl, screenshot, profile] = process.argv.slice(2);
const problems = [];

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.OUTPOST_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 1000 },
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" || /Content Security Policy/i.test(text))
      problems.push(`console ${message.type()}: ${text}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  // Violations as the page itself sees them (also those Chromium does not log).
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
  });

  const response = await page.goto(`${baseUrl}/docs`, { waitUntil: "load" });
  const policy = response.headers()["content-security-policy"] ?? "";
  if (!policy.includes("default-src 'none'"))
    problems.push(`no strict Content-Security-Policy on /docs: "${policy}"`);

  // Swagger UI rendered the document: its title and the operation we try.
  await page.locator(".swagger-ui .info .title").waitFor({ timeout: 20000 });
  const operation = page.locator(".opblock-get").filter({
    has: page.locator(".opblock-summary-path", { hasText: /^\/healthz$/ }),
  });
  await operation.locator(".opblock-summary").click();
  const tryIt = operation.locator("button.try-out__btn");
  if ((await tryIt.count()) > 0 && /try it out/i.test(await tryIt.innerText()))
    await tryIt.click();
  await operation.locator("button.execute").click();
  const status = operation.locator(".live-responses-table .response .response-col_status").first();
  await status.waitFor({ timeout: 20000 });
  const code = (await status.innerText()).trim();
  if (code !== "200") problems.push(`GET /healthz from "Try it out" answered ${code}, not 200`);

  await operation.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshot });
  const violations = await page.evaluate(() => window.__cspViolations);
  for (const v of violations) problems.push(`CSP violation: ${v}`);
} catch (error) {
  problems.push(`browser check failed: ${error.message}`);
} finally {
  await context.close();
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("docs render under the CSP; Try it out -> 200");
