#!/usr/bin/env node
// The committed OpenAPI snapshot (docs/openapi.json) against the document the code serves.
//
//   node tests/openapi/snapshot.mjs check --server BIN [--snapshot FILE]
//   node tests/openapi/snapshot.mjs write --server BIN [--snapshot FILE]
//
// Starts BIN (outpost-server) on a free loopback port, reads /openapi.json and writes it in a
// stable form: keys sorted at every level, two-space indentation, a final newline. `check`
// exits 1 with a unified diff when the snapshot differs (the code changed the contract without
// the snapshot, or the other way round); `make openapi-snapshot` runs `write`. Exit 2: usage.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { startServer } from "./server.mjs";

const sourceDir = fileURLToPath(new URL("../..", import.meta.url));
const maxDiffLines = 400;

function usage(message) {
  console.error(message);
  console.error("usage: node tests/openapi/snapshot.mjs check|write --server BIN [--snapshot FILE]");
  process.exit(2);
}

function parseArguments(argv) {
  const [mode, ...rest] = argv;
  if (mode !== "check" && mode !== "write") {
    usage(`unknown mode ${JSON.stringify(mode ?? "")}`);
  }
  const options = { mode, server: process.env.OUTPOST_SERVER_BIN, snapshot: join(sourceDir, "docs/openapi.json") };
  for (let i = 0; i < rest.length; i += 2) {
    const value = rest[i + 1];
    if (value === undefined) {
      usage(`${rest[i]} needs a value`);
    }
    if (rest[i] === "--server") {
      options.server = value;
    } else if (rest[i] === "--snapshot") {
      options.snapshot = value;
    } else {
      usage(`unknown option ${rest[i]}`);
    }
  }
  if (!options.server) {
    usage("--server is required (or OUTPOST_SERVER_BIN)");
  }
  return options;
}

function sortKeys(value) {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys(value[key])]),
    );
  }
  return value;
}

function canonical(document) {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

function operationCount(document) {
  const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
  return Object.values(document.paths ?? {}).reduce(
    (count, item) => count + methods.filter((method) => item[method]).length,
    0,
  );
}

async function servedDocument(binary) {
  const server = await startServer(binary);
  try {
    const response = await fetch(`${server.url}/openapi.json`);
    if (response.status !== 200) {
      throw new Error(`GET /openapi.json answered ${response.status}`);
    }
    return await response.json();
  } finally {
    await server.stop();
  }
}

const options = parseArguments(process.argv.slice(2));
const shown = relative(process.cwd(), options.snapshot) || options.snapshot;
const document = await servedDocument(options.server);
const served = canonical(document);

if (options.mode === "write") {
  writeFileSync(options.snapshot, served);
  console.log(`wrote ${shown}: ${operationCount(document)} operations`);
  process.exit(0);
}

let committed;
try {
  committed = readFileSync(options.snapshot, "utf8");
} catch (error) {
  console.error(`FAIL: cannot read ${shown} (${error.code ?? error.message}): run \`make openapi-snapshot\``);
  process.exit(1);
}
if (committed === served) {
  console.log(`ok: ${shown} matches the served document (${operationCount(document)} operations)`);
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), "outpost-snapshot-"));
try {
  const servedFile = join(scratch, "served-openapi.json");
  writeFileSync(servedFile, served);
  const diff = spawnSync(
    "diff",
    ["-u", "--label", `${shown} (committed)`, "--label", "/openapi.json (served by the code)", options.snapshot, servedFile],
    { encoding: "utf8" },
  );
  console.error(`FAIL: ${shown} differs from the document the code serves.`);
  if (diff.error) {
    console.error(`(no diff tool: ${diff.error.message})`);
  } else {
    const lines = diff.stdout.split("\n");
    console.error(lines.slice(0, maxDiffLines).join("\n"));
    if (lines.length > maxDiffLines) {
      console.error(`... ${lines.length - maxDiffLines} more diff lines`);
    }
  }
  console.error(
    "If the change to the API is intended, run `make openapi-snapshot` and commit docs/openapi.json " +
      "with it; otherwise the code changed the contract by mistake.",
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(1);
