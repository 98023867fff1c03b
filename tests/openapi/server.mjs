// Starts a real outpost-server for the node-based OpenAPI checks (snapshot.mjs, the generated
// TypeScript client): 127.0.0.1, a free port, a temporary data directory, none of the caller's
// OUTPOST_* settings. The process is killed when the caller exits, whatever the reason.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Exit code 77 is CTest's SKIP_RETURN_CODE for these tests: a missing tool skips outside CI
// and fails in CI, where `make deps` installs everything.
export function missingTool(message) {
  if (process.env.CI === "true") {
    console.error(`FAIL: ${message}`);
    process.exit(1);
  }
  console.log(`SKIP: ${message}`);
  process.exit(77);
}

// { url, stop() }; `env` adds settings (e.g. OUTPOST_WIKI_URL).
export async function startServer(binary, env = {}, timeoutMs = 20000) {
  if (!binary) {
    throw new Error("no outpost-server binary given (OUTPOST_SERVER_BIN or --server)");
  }
  const dataDir = mkdtempSync(join(tmpdir(), "outpost-openapi-"));
  const childEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("OUTPOST_")),
  );
  Object.assign(childEnv, { OUTPOST_LOG_FORMAT: "json", OUTPOST_BCRYPT_COST: "4" }, env);
  const child = spawn(binary, ["serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const cleanUp = () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("exit", cleanUp);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`outpost-server did not start listening; output:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", onData);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`outpost-server exited (${code ?? signal}) before listening:\n${output}`));
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  // Keep draining its log so a chatty server never blocks on a full pipe.
  child.stdout.resume();
  child.stderr.resume();
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        cleanUp();
        return;
      }
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      cleanUp();
    },
  };
}
