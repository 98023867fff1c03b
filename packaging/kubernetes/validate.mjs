#!/usr/bin/env node
// Validates rendered Kubernetes manifests offline, strictly: every object must be a known
// apiVersion/kind and every field must exist in that kind's schema, with the right type.
//   kubectl kustomize packaging/kubernetes/overlays/single | node packaging/kubernetes/validate.mjs -
//   node packaging/kubernetes/validate.mjs rendered.yaml [more.yaml ...]
//
// The schema is Kubernetes 1.30's OpenAPI spec as the npm package kubernetes-types (pinned in
// tools/package-lock.json) renders it: one TypeScript interface per definition, a field per
// property, required fields required. Each object becomes a typed object literal and the
// TypeScript compiler (also from tools/) checks it; an object literal may only name known
// properties, so a typo such as `protocl:` is an error, as `kubectl --validate=strict` would
// make it. Nothing is downloaded. Not checked: enum values (the spec types them as strings)
// and what only the API server knows (names' syntax, immutable fields, admission policies).
// JSON null means "unset" to the API server and is dropped before the check.
//
// Prints "ok: N objects (Kind/name, ...)" and exits 0, or every problem with its object and
// field path and exits 1. Exit 2: the check could not run (usage, missing tools).

import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const toolsPackage = new URL("../../tools/package.json", import.meta.url);
const toolsDir = path.dirname(fileURLToPath(toolsPackage));

function fail(message) {
  console.error(`validate: ${message}`);
  process.exit(2);
}

const sources = process.argv.slice(2);
if (sources.length === 0) {
  fail("usage: node packaging/kubernetes/validate.mjs FILE|- [FILE ...]");
}

const require = createRequire(toolsPackage);
let yaml;
let ts;
let typesDir;
try {
  yaml = require("js-yaml");
  ts = require("typescript");
  typesDir = path.dirname(require.resolve("kubernetes-types/package.json"));
} catch (error) {
  fail(
    `cannot load js-yaml, typescript or kubernetes-types from ${toolsDir}/node_modules ` +
      `(${error.code ?? error.message}): run \`make lint-deploy\` or \`npm ci --prefix tools\``,
  );
}

// Every document of every source, in order.
const objects = [];
for (const source of sources) {
  const label = source === "-" ? "<stdin>" : source;
  let text;
  try {
    text = readFileSync(source === "-" ? 0 : source, "utf8");
  } catch (error) {
    fail(`cannot read ${label}: ${error.message}`);
  }
  let documents;
  try {
    documents = yaml.loadAll(text);
  } catch (error) {
    console.error(`${label}: not YAML: ${error.message}`);
    process.exit(1);
  }
  documents.forEach((document, index) => {
    if (document !== null && document !== undefined) {
      objects.push({ source: label, index, document });
    }
  });
}
if (objects.length === 0) {
  console.error("validate: no objects in the input");
  process.exit(1);
}

function withoutNulls(value) {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return value;
}

// "apps/v1" -> kubernetes-types/apps/v1, "v1" -> core/v1, "networking.k8s.io/v1" ->
// networking/v1: the package names each API group's folder by the group's first label.
function moduleOf(apiVersion) {
  const parts = String(apiVersion).split("/");
  if (parts.length > 2 || parts.some((p) => !/^[a-z0-9.-]+$/.test(p))) return null;
  const [group, version] = parts.length === 1 ? ["core", parts[0]] : parts;
  return `${group.split(".")[0]}/${version}`;
}

const problems = [];
const lines = []; // the generated TypeScript, one entry per line
const lineInfo = []; // per line: { object, path } for the messages
const imports = [];

function emit(text, object, fieldPath) {
  lines.push(text);
  lineInfo.push({ object, path: fieldPath });
}

// One property or element per line, so that a diagnostic's line names its field.
function emitValue(value, indent, prefix, suffix, object, fieldPath) {
  const pad = "  ".repeat(indent);
  if (Array.isArray(value)) {
    emit(`${pad}${prefix}[`, object, fieldPath);
    value.forEach((item, i) =>
      emitValue(item, indent + 1, "", ",", object, `${fieldPath}[${i}]`),
    );
    emit(`${pad}]${suffix}`, object, fieldPath);
  } else if (value !== null && typeof value === "object") {
    emit(`${pad}${prefix}{`, object, fieldPath);
    for (const [key, item] of Object.entries(value)) {
      const childPath = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
        ? `${fieldPath}.${key}`
        : `${fieldPath}[${JSON.stringify(key)}]`;
      emitValue(item, indent + 1, `${JSON.stringify(key)}: `, ",", object, childPath);
    }
    emit(`${pad}}${suffix}`, object, fieldPath);
  } else {
    emit(`${pad}${prefix}${JSON.stringify(value)}${suffix}`, object, fieldPath);
  }
}

objects.forEach((object, i) => {
  const doc = withoutNulls(object.document);
  const kind = typeof doc === "object" ? doc.kind : undefined;
  const name = typeof doc === "object" ? (doc.metadata?.name ?? "?") : "?";
  object.label = `${object.source} #${object.index + 1} ${kind ?? "?"}/${name}`;
  if (typeof doc !== "object" || Array.isArray(doc) || !doc.apiVersion || !kind) {
    problems.push(`${object.label}: not a Kubernetes object (apiVersion and kind missing)`);
    return;
  }
  const module = moduleOf(doc.apiVersion);
  const declarations = module ? path.join(typesDir, `${module}.d.ts`) : null;
  const known =
    declarations &&
    existsSync(declarations) &&
    new RegExp(`^export interface ${kind} \\{`, "m").test(readFileSync(declarations, "utf8"));
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind) || !known) {
    problems.push(
      `${object.label}: no schema for ${doc.apiVersion} ${kind} in kubernetes-types ` +
        "(not a built-in Kubernetes 1.30 kind)",
    );
    return;
  }
  imports.push(`import type { ${kind} as T${i} } from "kubernetes-types/${module}";`);
  emitValue(doc, 0, `export const o${i}: T${i} = `, ";", object, "");
});

// The imports go first; shift the line table by their count.
const source = [...imports, ...lines].join("\n") + "\n";
const info = [...imports.map(() => null), ...lineInfo];

// Compile the generated file from memory, as if it sat in tools/ (so that kubernetes-types
// resolves from tools/node_modules), with no file written.
const virtualFile = path.join(toolsDir, "outpost-manifests.generated.ts");
const options = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ["lib.es2020.d.ts"],
  types: [],
  skipLibCheck: true,
};
const host = ts.createCompilerHost(options);
const getSourceFile = host.getSourceFile.bind(host);
const fileExists = host.fileExists.bind(host);
const readFile = host.readFile.bind(host);
host.getSourceFile = (fileName, languageVersion, ...rest) =>
  path.resolve(fileName) === virtualFile
    ? ts.createSourceFile(fileName, source, languageVersion, true)
    : getSourceFile(fileName, languageVersion, ...rest);
host.fileExists = (fileName) => path.resolve(fileName) === virtualFile || fileExists(fileName);
host.readFile = (fileName) =>
  path.resolve(fileName) === virtualFile ? source : readFile(fileName);

if (imports.length > 0) {
  const program = ts.createProgram([virtualFile], options, host);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (!diagnostic.file || path.resolve(diagnostic.file.fileName) !== virtualFile) {
      problems.push(`the check itself: ${message}`);
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const where = info[line];
    if (!where) {
      problems.push(`the check itself: ${message}`);
      continue;
    }
    problems.push(`${where.object.label}: ${where.path || "(object)"}: ${message}`);
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error(`validate: ${problems.length} problem(s) in ${objects.length} object(s)`);
  process.exit(1);
}
const names = objects.map((o) => `${o.document.kind}/${o.document.metadata?.name ?? "?"}`);
console.log(`ok: ${objects.length} objects (${names.join(", ")})`);
