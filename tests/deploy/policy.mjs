#!/usr/bin/env node
// What issue 16 asks of the deployment files, checked on what the tools render (the schema
// checks say the files are well formed; this says they still do what the README promises):
//   kubectl kustomize packaging/kubernetes/overlays/single | node tests/deploy/policy.mjs kubernetes-single -
//   kubectl kustomize packaging/kubernetes/overlays/scaled | node tests/deploy/policy.mjs kubernetes-scaled -
//   docker-compose ... config | node tests/deploy/policy.mjs compose -
// Prints "ok: ..." and exits 0, or each broken rule and exits 1; 2 if it cannot run.

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const [what, source] = process.argv.slice(2);
if (!["kubernetes-single", "kubernetes-scaled", "compose"].includes(what) || !source) {
  console.error("usage: policy.mjs kubernetes-single|kubernetes-scaled|compose FILE|-");
  process.exit(2);
}
const yaml = createRequire(new URL("../../tools/package.json", import.meta.url))("js-yaml");
const documents = yaml.loadAll(readFileSync(source === "-" ? 0 : source, "utf8")).filter(Boolean);

const broken = [];
function rule(ok, message) {
  if (!ok) broken.push(message);
}
let checked = 0;
function expect(actual, wanted, message) {
  checked++;
  rule(JSON.stringify(actual) === JSON.stringify(wanted),
    `${message}: ${JSON.stringify(actual)}, want ${JSON.stringify(wanted)}`);
}

function kubernetes(overlay) {
  const byKind = (kind) => documents.filter((d) => d.kind === kind);
  const [deployment] = byKind("Deployment");
  if (!deployment) {
    broken.push("no Deployment");
    return;
  }
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  expect(pod.securityContext?.runAsNonRoot, true, "pod runAsNonRoot");
  expect(typeof pod.securityContext?.runAsUser, "number", "pod runAsUser is fixed");
  expect(typeof pod.securityContext?.fsGroup, "number", "pod fsGroup is fixed");
  expect(pod.securityContext?.seccompProfile?.type, "RuntimeDefault", "seccomp profile");
  expect(pod.automountServiceAccountToken, false, "no service account token");
  expect(pod.enableServiceLinks, false, "no OUTPOST_* service link variables");
  const sc = container.securityContext ?? {};
  expect(sc.readOnlyRootFilesystem, true, "readOnlyRootFilesystem");
  expect(sc.allowPrivilegeEscalation, false, "allowPrivilegeEscalation");
  expect(sc.capabilities?.drop, ["ALL"], "capabilities dropped");
  expect(container.startupProbe?.httpGet?.path, "/readyz", "startupProbe");
  expect(container.readinessProbe?.httpGet?.path, "/readyz", "readinessProbe");
  expect(container.livenessProbe?.httpGet?.path, "/healthz", "livenessProbe");
  for (const key of ["requests", "limits"]) {
    expect(Object.keys(container.resources?.[key] ?? {}).sort(), ["cpu", "memory"], `resources.${key}`);
  }
  const mounts = Object.fromEntries((container.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
  const volumes = Object.fromEntries((pod.volumes ?? []).map((v) => [v.name, v]));
  expect(Boolean(volumes[mounts["/tmp"]]?.emptyDir), true, "an emptyDir on /tmp");
  expect(volumes[mounts["/run/secrets/outpost"]]?.secret?.secretName, "outpost-secrets",
    "the Secret outpost-secrets as files");
  const annotations = deployment.spec.template.metadata?.annotations ?? {};
  expect(annotations["prometheus.io/scrape"], "true", "Prometheus scrape annotation");
  expect(byKind("NetworkPolicy").length > 0, true, "a NetworkPolicy");

  const [configMap] = byKind("ConfigMap");
  const config = configMap?.data ?? {};
  expect(container.envFrom?.[0]?.configMapRef?.name, configMap?.metadata?.name,
    "settings from the ConfigMap");
  // Secrets only as files: no secret setting in the ConfigMap or the environment.
  const secrets = ["DATABASE_PASSWORD", "JWT_SECRET", "ADMIN_PASSWORD", "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY", "OPENAI_API_KEY", "GITHUB_WEBHOOK_SECRET"];
  for (const name of secrets) {
    checked++;
    rule(!(`OUTPOST_${name}` in config) && !(container.env ?? []).some((e) => e.name === `OUTPOST_${name}`),
      `OUTPOST_${name} is set directly, not as OUTPOST_${name}_FILE`);
  }
  for (const [name, value] of Object.entries(config)) {
    if (name.endsWith("_FILE")) {
      checked++;
      rule(value.startsWith("/run/secrets/outpost/"), `${name} points outside the mounted Secret: ${value}`);
    }
  }

  const data = volumes[mounts["/var/lib/outpost"]];
  if (overlay === "single") {
    expect(deployment.spec.replicas, 1, "single: one replica");
    expect(deployment.spec.strategy?.type, "Recreate", "single: Recreate strategy");
    const [pvc] = byKind("PersistentVolumeClaim");
    expect(data?.persistentVolumeClaim?.claimName, pvc?.metadata?.name, "single: data on the PersistentVolumeClaim");
    expect(config.OUTPOST_DATABASE_URL, undefined, "single: SQLite (no database URL)");
  } else {
    expect(deployment.spec.replicas >= 2, true, "scaled: at least two replicas");
    expect(deployment.spec.strategy?.rollingUpdate?.maxUnavailable, 0, "scaled: rolling update keeps the count");
    expect(config.OUTPOST_DATABASE_URL?.startsWith("postgresql://"), true, "scaled: PostgreSQL");
    expect(config.OUTPOST_FILE_STORE_URL?.startsWith("s3://"), true, "scaled: S3 file store");
    const [hpa] = byKind("HorizontalPodAutoscaler");
    expect(hpa?.spec?.scaleTargetRef?.name, deployment.metadata.name, "scaled: HorizontalPodAutoscaler");
    expect(hpa?.spec?.minReplicas, deployment.spec.replicas, "scaled: HPA minimum = replicas");
    const [pdb] = byKind("PodDisruptionBudget");
    expect(pdb?.spec?.selector?.matchLabels, deployment.spec.selector.matchLabels, "scaled: PodDisruptionBudget");
    expect(Boolean(data?.emptyDir), true, "scaled: no persistent volume per replica");
  }
}

function compose() {
  const [file] = documents;
  const services = file?.services ?? {};
  const names = Object.keys(services);
  const replicas = names.filter((n) => String(services[n].image).includes("outpost-server"));
  expect(replicas.length, 2, "two outpost-server replicas");
  for (const name of names) {
    const service = services[name];
    const oneShot = service.restart === "no";
    checked++;
    rule(oneShot || Array.isArray(service.healthcheck?.test), `${name} has no health check`);
    for (const [dependency, how] of Object.entries(service.depends_on ?? {})) {
      const wanted = services[dependency]?.restart === "no"
        ? "service_completed_successfully" : "service_healthy";
      expect(how.condition, wanted, `${name} waits for ${dependency}`);
    }
  }
  for (const name of replicas) {
    const env = services[name].environment ?? {};
    expect(env.OUTPOST_DATABASE_URL?.startsWith("postgresql://"), true, `${name} on PostgreSQL`);
    expect(env.OUTPOST_FILE_STORE_URL?.startsWith("s3://"), true, `${name} on S3`);
    for (const [key, value] of Object.entries(env)) {
      if (key.endsWith("_FILE")) {
        const secret = value.replace("/run/secrets/", "");
        checked++;
        rule((services[name].secrets ?? []).some((s) => (s.source ?? s) === secret),
          `${name}: ${key} names ${value}, which is not one of its secrets`);
      }
    }
    for (const secretSetting of ["OUTPOST_JWT_SECRET", "OUTPOST_DATABASE_PASSWORD", "OUTPOST_S3_SECRET_ACCESS_KEY"]) {
      expect(secretSetting in env, false, `${name}: ${secretSetting} given directly`);
    }
    expect(services[name].ports, undefined, `${name} publishes no port`);
  }
  expect(Object.keys(services.nginx?.depends_on ?? {}).sort(), replicas.sort(), "nginx in front of both replicas");
  for (const name of names) {
    for (const volume of services[name].volumes ?? []) {
      const spec = typeof volume === "string" ? volume : `${volume.source}:${volume.target}`;
      const source = spec.split(":")[0];
      if (!source.startsWith("/") && !source.startsWith(".")) {
        checked++;
        rule(source in (file.volumes ?? {}), `${name}: volume ${source} is not a named volume`);
      }
    }
  }
}

if (what === "compose") compose();
else kubernetes(what.replace("kubernetes-", ""));

if (broken.length > 0) {
  for (const message of broken) console.error(`${what}: ${message}`);
  process.exit(1);
}
console.log(`ok: ${what}: ${checked} rules hold`);
