#!/usr/bin/env node
// Validates an OpenAPI 3.1 document: node tests/openapi/validate.mjs <file-or-url>
//
// Uses @apidevtools/swagger-parser from tools/node_modules (installed by `make deps`), so the
// check runs offline. Prints "ok: N paths" and exits 0, or prints every problem found and
// exits 1. Exit 2 means the check itself could not run (usage, missing tools).

import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const toolsPackage = new URL("../../tools/package.json", import.meta.url);

function usage(message) {
  console.error(message);
  console.error("usage: node tests/openapi/validate.mjs <file-or-url>");
  process.exit(2);
}

const source = process.argv[2];
if (!source || process.argv.length > 3) {
  usage("expected exactly one argument: an OpenAPI file path or an http(s) URL");
}

let SwaggerParser;
try {
  SwaggerParser = createRequire(toolsPackage)("@apidevtools/swagger-parser");
} catch (error) {
  console.error(
    `cannot load @apidevtools/swagger-parser from ${fileURLToPath(new URL(".", toolsPackage))}` +
      `node_modules (${error.code ?? error.message}): run \`make deps\` (npm ci --prefix tools)`,
  );
  process.exit(2);
}

// The usual target is our own server on 127.0.0.1, which the resolver refuses by default
// (it guards against $refs that reach internal hosts; our documents have no external $refs).
const options = { resolve: { http: { safeUrlResolver: false, timeout: 10000 } } };

// swagger-parser's message already lists schema errors one per line; add ajv's details
// only when it does not.
function report(error) {
  console.error(`invalid: ${error.message}`);
  if (error.message.includes("\n")) {
    return;
  }
  for (const detail of error.details ?? []) {
    const where = detail.instancePath || "/";
    console.error(`  at ${where}: ${detail.message ?? JSON.stringify(detail)}`);
  }
}

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

// Where a (dereferenced) request body's schemas declare a default.
function requestDefaults(requestBody) {
  const found = [];
  const seen = new Set();
  const walk = (node, where) => {
    if (node === null || typeof node !== "object" || seen.has(node)) {
      return;
    }
    seen.add(node);
    if (!Array.isArray(node) && Object.hasOwn(node, "default") && where.includes("/schema")) {
      found.push(where);
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === "properties" && value !== null && typeof value === "object") {
        // Property names, not keywords: a property may be called "default".
        for (const [name, property] of Object.entries(value)) {
          walk(property, `${where}/properties/${name}`);
        }
      } else {
        walk(value, `${where}/${key}`);
      }
    }
  };
  walk(requestBody?.content, "");
  return found;
}

// Rules of the OpenAPI 3.1 text that its JSON Schema cannot express, and that swagger-parser
// checks for Swagger 2.0 only. `api` is the dereferenced document.
function semanticProblems(api) {
  const problems = [];
  const operationIds = new Map();
  const templates = new Map();
  for (const [path, item] of Object.entries(api.paths ?? {})) {
    const template = path.replace(/\{[^}]*\}/g, "{}");
    if (templates.has(template)) {
      problems.push(`paths ${templates.get(template)} and ${path} are the same template`);
    }
    templates.set(template, path);
    const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of methods) {
      const operation = item?.[method];
      if (!operation) {
        continue;
      }
      const where = `${method.toUpperCase()} ${path}`;
      // What a generated client names the call: stable, camelCase, one per operation.
      if (!operation.operationId) {
        problems.push(`${where}: no operationId`);
      } else if (!/^[a-z][a-zA-Z0-9]*$/.test(operation.operationId)) {
        problems.push(`${where}: operationId "${operation.operationId}" is not camelCase`);
      }
      if (operation.operationId) {
        if (operationIds.has(operation.operationId)) {
          problems.push(
            `${where}: operationId "${operation.operationId}" is also used by ${operationIds.get(operation.operationId)}`,
          );
        }
        operationIds.set(operation.operationId, where);
      }
      // A default in a request body makes generated types require the property (openapi-typescript
      // treats defaults as "always present", right for responses only): say it in the description.
      for (const where2 of requestDefaults(operation.requestBody)) {
        problems.push(`${where}: request body ${where2} has a default; describe it instead`);
      }
      // Operation parameters override path-item ones with the same name and location.
      const parameters = new Map();
      for (const parameter of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
        parameters.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      for (const name of inTemplate) {
        if (!parameters.has(`path:${name}`)) {
          problems.push(`${where}: path parameter {${name}} is not declared`);
        }
      }
      for (const parameter of parameters.values()) {
        if (parameter.in !== "path") {
          continue;
        }
        if (!inTemplate.includes(parameter.name)) {
          problems.push(`${where}: path parameter "${parameter.name}" is not in the path`);
        } else if (parameter.required !== true) {
          problems.push(`${where}: path parameter "${parameter.name}" must be required: true`);
        }
      }
    }
  }
  return problems;
}

try {
  // parse() alone reads the document without judging it, so a wrong version is reported as
  // such rather than as a pile of schema errors.
  const api = await SwaggerParser.parse(source, options);
  const version = typeof api.openapi === "string" ? api.openapi : null;
  if (!version || !/^3\.1(\.|$)/.test(version)) {
    console.error(
      `invalid: "openapi" must be a 3.1.x version, got ${JSON.stringify(api.openapi ?? api.swagger ?? null)}`,
    );
    process.exit(1);
  }
  // validate() mutates what it is given (it dereferences $refs); let it load its own copy.
  const dereferenced = await SwaggerParser.validate(source, options);
  const problems = semanticProblems(dereferenced);
  if (problems.length > 0) {
    console.error(`invalid: ${problems.length} problem(s)`);
    for (const problem of problems) {
      console.error(`  ${problem}`);
    }
    process.exit(1);
  }
  const paths = Object.keys(api.paths ?? {}).length;
  console.log(`ok: ${paths} paths`);
} catch (error) {
  report(error);
  process.exit(1);
}
