#!/usr/bin/env node
// The generated TypeScript client test (CTest openapi_client):
//
//   node tests/openapi/client/run.mjs --server BIN --out DIR
//
// Starts BIN on a free loopback port, generates TypeScript types from its /openapi.json with
// openapi-typescript into DIR (the build tree: nothing generated is committed), type-checks
// client.mts with them under tsc --strict, and runs it against the server with openapi-fetch.
// Exit 77 (SKIP) when node's tools are missing outside CI.

import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { missingTool, startServer } from "../server.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const tools = fileURLToPath(new URL("../../../tools/node_modules", import.meta.url));

const options = { server: process.env.OUTPOST_SERVER_BIN, out: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  if (argv[i] === "--server") options.server = argv[i + 1];
  else if (argv[i] === "--out") options.out = argv[i + 1];
  else {
    console.error(`unknown option ${argv[i]}\nusage: run.mjs --server BIN --out DIR`);
    process.exit(2);
  }
}
if (!options.server || !options.out) {
  console.error("usage: run.mjs --server BIN --out DIR");
  process.exit(2);
}

const typegen = join(tools, "openapi-typescript/bin/cli.js");
const tsc = join(tools, "typescript/bin/tsc");
for (const [file, name] of [
  [typegen, "openapi-typescript"],
  [tsc, "typescript"],
  [join(tools, "openapi-fetch/package.json"), "openapi-fetch"],
]) {
  if (!existsSync(file)) {
    missingTool(`${name} is not installed in tools/node_modules: run \`make deps\``);
  }
}

function run(what, command, args) {
  const result = spawnSync(command, args, { encoding: "utf8", cwd: options.out });
  if (result.status !== 0) {
    console.error(`FAIL: ${what} (exit ${result.status ?? result.signal})`);
    console.error(result.stdout + result.stderr);
    return false;
  }
  return true;
}

rmSync(options.out, { recursive: true, force: true });
mkdirSync(options.out, { recursive: true });
// Bare imports (openapi-fetch) resolve through node_modules next to the program, for tsc and
// for node alike.
symlinkSync(tools, join(options.out, "node_modules"), "dir");
copyFileSync(join(here, "client.mts"), join(options.out, "client.mts"));
writeFileSync(
  join(options.out, "tsconfig.json"),
  JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        target: "ES2022",
        lib: ["ES2022", "DOM"],
        module: "nodenext",
        moduleResolution: "nodenext",
        types: [],
        outDir: ".",
      },
      files: ["client.mts", "schema.ts"],
    },
    null,
    2,
  ),
);

const server = await startServer(options.server);
let ok = false;
try {
  const response = await fetch(`${server.url}/openapi.json`);
  writeFileSync(join(options.out, "openapi.json"), await response.text());
  ok =
    run("openapi-typescript", process.execPath, [typegen, "openapi.json", "--output", "schema.ts"]) &&
    run("tsc --strict", process.execPath, [tsc, "-p", "tsconfig.json"]) &&
    run("the generated client against the server", process.execPath, ["client.mjs", server.url]);
  if (ok) {
    console.log("ok: types generated, tsc --strict passed, the client ran green");
  }
} finally {
  await server.stop();
}
process.exit(ok ? 0 : 1);
