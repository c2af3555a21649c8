// Validates CoachHub's deployment files: every Kubernetes document against its schema (kubernetes-models for
// the built-in kinds, @kubernetes-models/cloudnative-pg for CloudNativePG), and docker-compose.yml's shape.
// Usage: node validate.mjs [file.yaml ...]   (default: ../k8s/*.yaml and ../docker-compose.yml)
// Exits non-zero, naming the file, document and field, when anything is off.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const models = {
  "apps/v1/Deployment": () => import("kubernetes-models/apps/v1"),
  "v1/Service": () => import("kubernetes-models/v1"),
  "v1/ConfigMap": () => import("kubernetes-models/v1"),
  "policy/v1/PodDisruptionBudget": () => import("kubernetes-models/policy/v1"),
  "autoscaling/v2/HorizontalPodAutoscaler": () => import("kubernetes-models/autoscaling/v2"),
  "networking.k8s.io/v1/Ingress": () => import("kubernetes-models/networking.k8s.io/v1"),
  "postgresql.cnpg.io/v1/Cluster": () => import("@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1"),
  "postgresql.cnpg.io/v1/ScheduledBackup": () => import("@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1"),
};

const failures = [];
let checked = 0;

async function validateKubernetes(file) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const [i, doc] of docs.entries()) {
    const where = `${basename(file)} document ${i + 1}`;
    if (doc.errors.length) { failures.push(`${where}: ${doc.errors.map(e => e.message).join("; ")}`); continue; }
    const object = doc.toJS();
    if (!object) continue;
    const key = `${object.apiVersion}/${object.kind}`;
    const load = models[key];
    if (!load) { failures.push(`${where}: no schema known for ${key}`); continue; }
    const Model = (await load())[object.kind];
    try {
      new Model(object).validate();
      checked++;
      console.log(`ok   ${where}: ${key} ${object.metadata?.name ?? ""}`);
    } catch (error) {
      failures.push(`${where}: ${key} ${object.metadata?.name ?? ""}: ${error.message}`);
    }
  }
}

function validateCompose(file) {
  const compose = parseAllDocuments(readFileSync(file, "utf8"), { merge: true })[0].toJS();
  const services = compose?.services ?? {};
  const expect = (condition, message) => { if (!condition) failures.push(`${basename(file)}: ${message}`); };
  expect(/^postgres:17/.test(services.postgres?.image ?? ""), "a postgres:17 service");
  const nodes = Object.entries(services).filter(([, s]) => s.build?.dockerfile === "deploy/Dockerfile");
  expect(nodes.length >= 2, "at least two CoachHub nodes built from deploy/Dockerfile");
  for (const [name, s] of nodes) expect(s.environment?.ConnectionStrings__CoachHub, `${name}: a connection string`);
  // Live messages reach every node only through SignalR's Redis backplane.
  expect(/^redis:/.test(services.redis?.image ?? ""), "a redis service");
  for (const [name, s] of nodes) expect(/^redis:6379/.test(s.environment?.ConnectionStrings__Redis ?? ""), `${name}: ConnectionStrings__Redis names the redis service`);
  expect(services.lb?.ports?.length > 0, "a load balancer publishing a port");
  // Sign-in limits count real clients only if the nodes believe the balancer's X-Forwarded-For, and only its.
  const lbAddress = services.lb?.networks?.default?.ipv4_address;
  for (const [name, s] of nodes)
    expect(lbAddress && s.environment?.CoachHub__KnownProxies === lbAddress, `${name}: CoachHub__KnownProxies is the load balancer's fixed address`);
  const nginx = readFileSync(join(dirname(file), "nginx.conf"), "utf8");
  expect(/ip_hash|sticky|hash /.test(nginx), "nginx.conf keeps clients on one node (sticky)");
  expect(/proxy_set_header Upgrade/.test(nginx), "nginx.conf passes WebSocket upgrades");
  if (!failures.length) { checked++; console.log(`ok   ${basename(file)}: postgres 17, redis, ${nodes.length} nodes, sticky WebSocket-aware lb`); }
}

const files = process.argv.slice(2);
const targets = files.length ? files : [
  ...readdirSync(join(here, "..", "k8s")).filter(f => f.endsWith(".yaml")).map(f => join(here, "..", "k8s", f)),
  join(here, "..", "docker-compose.yml"),
];
for (const file of targets) {
  if (basename(file).startsWith("docker-compose")) validateCompose(file); else await validateKubernetes(file);
}
if (failures.length) {
  for (const f of failures) console.error(`FAIL ${f}`);
  process.exit(1);
}
console.log(`${checked} documents valid`);
