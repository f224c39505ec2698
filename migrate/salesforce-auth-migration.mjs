#!/usr/bin/env node
// Salesforce Authentication → Salesforce Action migration for n8n (n8n-nodes-salesforce-integration).
// GENERATED from migrate/src by `npm run build:migration`: edit the sources, not this file.
// Needs only Node.js >= 18 (the one n8n runs on). Guide:
// https://github.com/n8n-nodes-salesforce-integration/n8n-nodes-salesforce-integration/blob/main/docs/migrating-from-salesforce-authentication.md

// migrate/src/cli.ts
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeSync
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// migrate/src/transform.ts
import { createHash } from "node:crypto";

// nodes/salesforce/errors.ts
var AUTHENTICATION_REASONS = /* @__PURE__ */ new Set([
  "authentication-failure",
  "ip-restricted",
  "login-rate-exceeded",
  "invalid-client-id",
  "invalid-client-secret",
  "unsupported-grant-type",
  "inactive-user",
  "inactive-org",
  "app-access",
  "client-credentials-on-generic-host",
  "no-run-as-user",
  "jwt-not-pre-authorized",
  "jwt-audience-invalid",
  "jwt-assertion-expired",
  "jwt-invalid-assertion",
  "oauth-error"
]);
var TRANSIENT_REASONS = /* @__PURE__ */ new Set([
  "connection-refused",
  "connection-reset"
]);
var OUTAGE_REASONS = /* @__PURE__ */ new Set([
  "timeout",
  "dns",
  "connection-refused",
  "connection-reset",
  "network",
  "server-error"
]);
var TRANSIENT_STATUSES = /* @__PURE__ */ new Set([502, 503, 504]);
var SalesforceAuthError = class extends Error {
  reason;
  /** What to do about it; n8n shows it under the message. */
  description;
  /** Salesforce's own `error` code, when Salesforce answered with one. */
  salesforceError;
  /**
   * The HTTP status Salesforce (or whatever answered) replied with, if any. Not named `status`:
   * n8n's NodeApiError would then replace the message with a generic "Bad request" text.
   */
  httpStatus;
  constructor(reason, message, description, details = {}) {
    super(message);
    this.name = "SalesforceAuthError";
    this.reason = reason;
    this.description = description;
    this.salesforceError = details.salesforceError;
    this.httpStatus = details.httpStatus;
  }
  /** Salesforce refused the details themselves; never retried, and the guard cools down after it. */
  get isAuthenticationFailure() {
    return AUTHENTICATION_REASONS.has(this.reason);
  }
  /**
   * No answer came, or a 5xx: Salesforce refused nothing, so a client that waits for it anyway (a
   * long-lived trigger) may ask again later — unlike a refusal, which is never asked again.
   */
  get isOutage() {
    return OUTAGE_REASONS.has(this.reason);
  }
  /** The request probably never got to Salesforce's login logic; a bounded retry is harmless. */
  get isTransient() {
    return TRANSIENT_REASONS.has(this.reason) || this.reason === "server-error" && this.httpStatus !== void 0 && TRANSIENT_STATUSES.has(this.httpStatus);
  }
};
function invalidInput(field, problem, fix) {
  return new SalesforceAuthError("invalid-input", `${field}: ${problem}`, fix);
}

// nodes/salesforce/text.ts
function hasControlCharacter(value) {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code <= 31 || code >= 127 && code <= 159) return true;
  }
  return false;
}
function hasSurroundingWhitespace(value) {
  return value !== value.trim();
}

// nodes/salesforce/login/domain.ts
var DOMAIN_FIELD = "Domain";
var ACCEPTED_DOMAIN_FORMS = 'Accepted forms: "acme" or "acme.my.salesforce.com" (production), "acme--uat.sandbox.my.salesforce.com" (sandbox), "acme.develop.my.salesforce.com" (and the other partitions: scratch, trailblaze, demo, patch, free), "acme.lightning.force.com", "login.salesforce.com" or "test.salesforce.com", "acme.my.salesforce.mil" — with or without "https://". In Salesforce, Setup → My Domain shows yours.';
var PARTITIONS = ["develop", "scratch", "trailblaze", "demo", "patch", "free"];
var MY_DOMAIN_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9-]))*[a-z0-9]$|^[a-z0-9]$/;
var LOOPBACK_HOSTS = /* @__PURE__ */ new Set(["localhost", "127.0.0.1", "[::1]"]);
function refuse(problem) {
  return invalidInput(DOMAIN_FIELD, problem, ACCEPTED_DOMAIN_FORMS);
}
function isLoopback(hostname) {
  return LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
function isValidName(name) {
  return name.length <= 80 && MY_DOMAIN_NAME.test(name) && !name.startsWith("xn--");
}
function classifyHost(hostname) {
  if (hostname === "login.salesforce.com") return { hostname, kind: "generic-production" };
  if (hostname === "test.salesforce.com") return { hostname, kind: "generic-sandbox" };
  const labels = hostname.split(".");
  const name = labels[0];
  if (!isValidName(name)) return void 0;
  const rest = labels.slice(1).join(".");
  const lightning = /^(?:(sandbox|develop|scratch|trailblaze|demo|patch|free)\.)?lightning\.force\.com$/.exec(rest);
  if (lightning) {
    const partition2 = lightning[1];
    return classifyHost(
      partition2 ? `${name}.${partition2}.my.salesforce.com` : `${name}.my.salesforce.com`
    );
  }
  if (rest === "my.salesforce-setup.com") return classifyHost(`${name}.my.salesforce.com`);
  if (rest === "my.salesforce.com") {
    return { hostname, kind: name.includes("--") ? "sandbox" : "my-domain" };
  }
  if (rest === "sandbox.my.salesforce.com") return { hostname, kind: "sandbox" };
  const partition = /^([a-z]+)\.my\.salesforce\.com$/.exec(rest);
  if (partition && PARTITIONS.includes(partition[1])) return { hostname, kind: "partition" };
  if (rest === "my.salesforce.mil" || rest === "sandbox.my.salesforce.mil") {
    return { hostname, kind: "government" };
  }
  if (rest === "my.sfcrmproducts.cn" || rest === "sandbox.my.sfcrmproducts.cn")
    return { hostname, kind: "china" };
  return void 0;
}
function normaliseDomain(input) {
  const value = typeof input === "string" ? input.trim() : "";
  if (value === "") throw refuse("is empty.");
  if (value.length > 253 + "https://".length + 1) throw refuse("is too long to be a host name.");
  if (/\s/.test(value) || hasControlCharacter(value)) {
    throw refuse("contains spaces or control characters.");
  }
  if (/[^\x20-\x7e]/.test(value)) {
    throw refuse("contains non-ASCII characters; Salesforce host names are plain ASCII.");
  }
  for (const [character, what] of [
    ["@", 'user-info ("@")'],
    ["?", 'a query ("?")'],
    ["#", 'a fragment ("#")'],
    ["\\", "a backslash"],
    ["%", "a percent-encoded character"]
  ]) {
    if (value.includes(character)) throw refuse(`must be a host name only, but contains ${what}.`);
  }
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : "https";
  const withoutScheme = schemeMatch ? value.slice(schemeMatch[0].length) : value;
  if (!schemeMatch && /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(value)) {
    throw refuse(`starts with "${value.split(":")[0]}:", which is not https.`);
  }
  const slash = withoutScheme.indexOf("/");
  const authority = slash === -1 ? withoutScheme : withoutScheme.slice(0, slash);
  const path = slash === -1 ? "" : withoutScheme.slice(slash);
  if (path !== "" && path !== "/") {
    throw refuse(
      `must not contain a path ("${path}"); Salesforce's token path is added automatically.`
    );
  }
  let url;
  try {
    url = new URL(`${scheme}://${authority}`);
  } catch {
    throw refuse(`"${value}" is not a valid host name.`);
  }
  const hostname = url.hostname.toLowerCase();
  if (isLoopback(hostname)) {
    if (scheme !== "http" && scheme !== "https")
      throw refuse(`uses "${scheme}://"; only https is accepted.`);
    return { origin: url.origin, hostname, kind: "loopback", isGenericLoginHost: false };
  }
  if (scheme !== "https") {
    throw refuse(`uses "${scheme}://"; Salesforce is only reachable over https.`);
  }
  if (url.port !== "" || /:\d*$/.test(authority)) {
    throw refuse("must not contain a port; Salesforce listens on the standard https port.");
  }
  const bareName = !hostname.includes(".");
  const classified = classifyHost(bareName ? `${hostname}.my.salesforce.com` : hostname);
  if (!classified) {
    throw refuse(`"${hostname}" is not a Salesforce login host.`);
  }
  const canonical = bareName && hostname.includes("--") ? { hostname: `${hostname}.sandbox.my.salesforce.com`, kind: "sandbox" } : classified;
  return {
    origin: `https://${canonical.hostname}`,
    hostname: canonical.hostname,
    kind: canonical.kind,
    isGenericLoginHost: canonical.kind === "generic-production" || canonical.kind === "generic-sandbox"
  };
}

// nodes/salesforce/login/jwtAssertion.ts
var JWT_FIELD_LABELS = {
  privateKey: "Private Key",
  passphrase: "Private Key Passphrase",
  audience: "Audience"
};

// nodes/salesforce/login/loginDetails.ts
var DEFAULT_TIMEOUT_SECONDS = 10;
var FIELD_LABELS = {
  consumerKey: "Consumer Key",
  consumerSecret: "Consumer Secret",
  username: "Username",
  password: "Password",
  securityToken: "Security Token",
  timeout: "Timeout (Seconds)",
  authFlow: "Authentication Flow",
  ...JWT_FIELD_LABELS
};

// nodes/salesforce/login/sessionFields.ts
var DEFAULT_OUTPUT_FIELD = "SF_ACCESS_TOKEN";

// nodes/salesforce/login/outputMapping.ts
var RESERVED_KEYS = /* @__PURE__ */ new Set(["__proto__", "constructor", "prototype"]);
var MAX_FIELD_NAME_LENGTH = 200;
var FIELD_NAME_FIX = "Use a plain name such as SF_ACCESS_TOKEN; later nodes read it as {{ $json.SF_ACCESS_TOKEN }}.";
function checkFieldName(value, label) {
  const field = typeof value === "string" ? value : "";
  if (field.trim() === "") throw invalidInput(label, "is empty.", FIELD_NAME_FIX);
  if (hasSurroundingWhitespace(field))
    throw invalidInput(label, "starts or ends with a space.", FIELD_NAME_FIX);
  if (hasControlCharacter(field))
    throw invalidInput(label, "contains a control character.", FIELD_NAME_FIX);
  if (field.length > MAX_FIELD_NAME_LENGTH)
    throw invalidInput(
      label,
      `is longer than ${MAX_FIELD_NAME_LENGTH} characters.`,
      FIELD_NAME_FIX
    );
  if (RESERVED_KEYS.has(field))
    throw invalidInput(label, `"${field}" is reserved in JavaScript objects.`, FIELD_NAME_FIX);
  return field;
}

// migrate/src/transform.ts
var CREDENTIAL_TYPE = "salesforceIntegrationApi";
var PACKAGE_PREFIXES = ["n8n-nodes-salesforce-integration", "CUSTOM"];
var LEGACY_NODE = "salesforceAuth";
var ACTION_NODE = "salesforceAction";
var ACTION_NODE_VERSION = 1.1;
var MigrationInputError = class extends Error {
};
var LOGIN_FIELDS = [
  ["consumerKey", "Consumer Key"],
  ["consumerSecret", "Consumer Secret"],
  ["domain", "Domain"],
  ["username", "Username"],
  ["password", "Password"]
];
function legacyPrefix(node) {
  return PACKAGE_PREFIXES.find((prefix) => node.type === `${prefix}.${LEGACY_NODE}`);
}
function isLegacyNode(node) {
  return legacyPrefix(node) !== void 0;
}
function isExpression(value) {
  return typeof value === "string" && value.startsWith("=");
}
function readLegacyLogin(node) {
  if (node.typeVersion !== 1)
    return { reason: `its version ${String(node.typeVersion)} is unknown to this migration` };
  const parameters = node.parameters ?? {};
  const fields = [...LOGIN_FIELDS, ["outputField", "Output Field"]];
  const expressions = fields.filter(([name]) => isExpression(parameters[name])).map(([, label]) => label);
  if (expressions.length > 0) {
    const list = expressions.join(", ");
    return {
      reason: `${list} ${expressions.length === 1 ? "is an expression" : "are expressions"}: the value only exists when the workflow runs, so it cannot be copied into a credential. Migrate this node by hand (see the guide).`
    };
  }
  const login = {};
  for (const [name, label] of fields) {
    const value = parameters[name] ?? (name === "outputField" ? DEFAULT_OUTPUT_FIELD : "");
    if (typeof value !== "string") return { reason: `${label} is not text` };
    if (name !== "outputField" && value.trim() === "")
      return { reason: `${label} is empty: the node cannot log in as it is` };
    login[name] = value;
  }
  try {
    checkFieldName(login.outputField, "Output Field");
    normaliseDomain(login.domain);
  } catch (error) {
    return { reason: `${error.message} The node cannot log in as it is; fix it first` };
  }
  return { login };
}
function credentialIdFor(origin, consumerKey, username) {
  const digest = createHash("sha256").update(
    [
      "n8n-nodes-salesforce-integration migration v1",
      origin,
      consumerKey,
      username.toLowerCase()
    ].join("\n")
  ).digest("base64").replace(/[^A-Za-z0-9]/g, "");
  return digest.slice(0, 16);
}
function hostOf(origin) {
  return new URL(origin).host;
}
function credentialNameFor(host, username) {
  return `Salesforce ${host} (${username})`;
}
function uniqueName(name, taken) {
  let candidate = name;
  for (let counter = 2; taken.has(candidate); counter++) candidate = `${name} ${counter}`;
  taken.add(candidate);
  return candidate;
}
function credentialsReferencedBy(workflows) {
  const referenced = /* @__PURE__ */ new Map();
  for (const workflow of workflows) {
    for (const node of workflow.nodes) {
      const reference = node.credentials?.[CREDENTIAL_TYPE];
      if (reference?.id) referenced.set(reference.id, reference.name);
    }
  }
  return referenced;
}
function actionNodeFor(node, prefix, credential, outputField) {
  const replaced = { ...node };
  replaced.type = `${prefix}.${ACTION_NODE}`;
  replaced.typeVersion = ACTION_NODE_VERSION;
  replaced.parameters = {
    operation: "getAccessToken",
    responseMapping: { mappings: [{ objectPath: "access_token", field: outputField }] }
  };
  replaced.credentials = {
    ...node.credentials ?? {},
    [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name }
  };
  return replaced;
}
function sameSecrets(a, b) {
  return a.consumerSecret === b.consumerSecret && a.password === b.password;
}
function planMigration(input) {
  const existingById = /* @__PURE__ */ new Map();
  for (const credential of input.existingCredentials ?? []) {
    if (credential.type === CREDENTIAL_TYPE) existingById.set(credential.id, credential.name);
  }
  for (const [id, name] of credentialsReferencedBy(input.workflows))
    if (!existingById.has(id)) existingById.set(id, name);
  const takenNames = /* @__PURE__ */ new Set([
    ...(input.existingCredentials ?? []).map((credential) => credential.name),
    ...existingById.values()
  ]);
  const skipped = /* @__PURE__ */ new Map();
  const environments = /* @__PURE__ */ new Map();
  const withLegacy = input.workflows.filter((workflow) => workflow.nodes.some(isLegacyNode));
  for (const workflow of withLegacy) {
    for (const node of workflow.nodes.filter(isLegacyNode)) {
      const read = readLegacyLogin(node);
      if ("reason" in read) {
        skipped.set(node, read.reason);
        continue;
      }
      const { login } = read;
      const { origin } = normaliseDomain(login.domain);
      const id = credentialIdFor(origin, login.consumerKey, login.username);
      let environment = environments.get(id);
      if (!environment) {
        environment = {
          id,
          origin,
          host: hostOf(origin),
          username: login.username,
          login,
          nodes: [],
          disagreement: false
        };
        environments.set(id, environment);
      }
      if (!sameSecrets(environment.login, login)) environment.disagreement = true;
      environment.nodes.push({ workflow, node, login });
    }
  }
  const chosen = resolveChoices(
    input.chosenCredentials ?? [],
    [...environments.values()],
    input.existingCredentials
  );
  const credentials = [];
  const credentialImports = [];
  const credentialOf = /* @__PURE__ */ new Map();
  for (const environment of environments.values()) {
    const choice = chosen.get(environment.id);
    if (choice) {
      credentials.push({
        ...choice,
        host: environment.host,
        username: environment.username,
        nodeCount: environment.nodes.length,
        status: "chosen"
      });
      for (const { node } of environment.nodes) credentialOf.set(node, choice);
      continue;
    }
    const existingName = existingById.get(environment.id);
    if (existingName === void 0 && environment.disagreement) {
      const others = environment.nodes.map(({ workflow, node }) => `"${node.name}" in "${workflow.name}"`).join(", ");
      for (const { node } of environment.nodes) {
        skipped.set(
          node,
          `the nodes of ${environment.host} (${environment.username}) do not all have the same Consumer Secret and Password (${others}). Make them the same (the ones that work) and run the migration again`
        );
      }
      continue;
    }
    const name = existingName ?? uniqueName(credentialNameFor(environment.host, environment.username), takenNames);
    credentials.push({
      id: environment.id,
      name,
      host: environment.host,
      username: environment.username,
      nodeCount: environment.nodes.length,
      status: existingName === void 0 ? "create" : "existing"
    });
    if (existingName === void 0) {
      const { login } = environment;
      credentialImports.push({
        id: environment.id,
        name,
        type: CREDENTIAL_TYPE,
        data: {
          authFlow: "password",
          domain: login.domain.trim(),
          consumerKey: login.consumerKey,
          consumerSecret: login.consumerSecret,
          username: login.username,
          // The old node took the security token appended to the password; the credential appends
          // its Security Token to the password, so an empty one sends exactly the same.
          password: login.password,
          securityToken: "",
          timeout: DEFAULT_TIMEOUT_SECONDS
        }
      });
    }
    for (const { node } of environment.nodes) credentialOf.set(node, { id: environment.id, name });
  }
  const workflows = [];
  const migratedWorkflows = [];
  for (const workflow of withLegacy) {
    const plan = {
      id: workflow.id,
      name: workflow.name,
      wasActive: workflow.active === true,
      replaced: [],
      skipped: []
    };
    const nodes = workflow.nodes.map((node) => {
      const prefix = legacyPrefix(node);
      if (prefix === void 0) return node;
      const reason = skipped.get(node);
      const credential = credentialOf.get(node);
      if (reason !== void 0 || !credential) {
        plan.skipped.push({ node: node.name, reason: reason ?? "not migrated" });
        return node;
      }
      const outputField = node.parameters?.outputField ?? DEFAULT_OUTPUT_FIELD;
      plan.replaced.push({
        node: node.name,
        credentialId: credential.id,
        credentialName: credential.name,
        outputField
      });
      return actionNodeFor(node, prefix, credential, outputField);
    });
    workflows.push(plan);
    if (plan.replaced.length > 0) migratedWorkflows.push({ ...workflow, nodes });
  }
  return {
    workflows,
    untouchedWorkflowCount: input.workflows.length - withLegacy.length,
    credentials,
    migratedWorkflows,
    credentialImports
  };
}
function hostTyped(text) {
  try {
    return hostOf(normaliseDomain(text).origin);
  } catch {
    return text.trim().toLowerCase();
  }
}
function resolveChoices(choices, environments, existing) {
  const chosen = /* @__PURE__ */ new Map();
  if (choices.length === 0) return chosen;
  if (!existing)
    throw new MigrationInputError(
      '--use-credential needs --credentials=<what "n8n export:credentials --all --output=<file>" wrote>, to find the credential it names.'
    );
  const ours = existing.filter((credential) => credential.type === CREDENTIAL_TYPE);
  for (const { environment, credential } of choices) {
    const host = hostTyped(environment);
    const matching = environments.filter(
      (candidate) => candidate.id === environment || candidate.host.toLowerCase() === host
    );
    if (matching.length === 0) {
      const known = environments.map((candidate) => `${candidate.host} (id ${candidate.id})`).join(", ") || "none";
      throw new MigrationInputError(
        `--use-credential: no deprecated node logs in to "${environment}". Environments found: ${known}.`
      );
    }
    if (matching.length > 1) {
      throw new MigrationInputError(
        `--use-credential: several environments log in to ${host} (${matching.map((candidate) => `${candidate.username}: id ${candidate.id}`).join(", ")}). Name one by its id.`
      );
    }
    const byId = ours.find((candidate) => candidate.id === credential);
    const byName = ours.filter((candidate) => candidate.name === credential);
    if (!byId && byName.length !== 1) {
      throw new MigrationInputError(
        byName.length > 1 ? `--use-credential: several Salesforce Integration API credentials are named "${credential}" (ids ${byName.map((candidate) => candidate.id).join(", ")}). Name one by its id.` : `--use-credential: the credentials export holds no Salesforce Integration API credential with the id or name "${credential}".`
      );
    }
    const found = byId ?? byName[0];
    chosen.set(matching[0].id, { id: found.id, name: found.name });
  }
  return chosen;
}
function describePlan(plan) {
  const lines = [];
  const changing = plan.workflows.filter((workflow) => workflow.replaced.length > 0);
  const skippedCount = plan.workflows.reduce(
    (count, workflow) => count + workflow.skipped.length,
    0
  );
  const replacedCount = changing.reduce((count, workflow) => count + workflow.replaced.length, 0);
  lines.push("Credentials (Salesforce Integration API, one per environment):");
  if (plan.credentials.length === 0) lines.push("  none");
  for (const credential of plan.credentials) {
    const what = { create: "create", existing: "use existing", chosen: "use your" }[credential.status];
    const how = credential.status === "chosen" ? " (named with --use-credential)" : "";
    lines.push(
      `  ${what} "${credential.name}" (id ${credential.id})${how}: ${credential.host}, user ${credential.username}, ${credential.nodeCount} node(s)`
    );
  }
  if (plan.credentials.some((credential) => credential.status === "create")) {
    lines.push(
      "  (Made a credential for one of these already, e.g. by hand? Use it instead: --use-credential=<id or host above>=<your credential's name or id>.)"
    );
  }
  lines.push("");
  lines.push("Workflows:");
  if (plan.workflows.length === 0)
    lines.push("  none uses the deprecated Salesforce Authentication node");
  for (const workflow of plan.workflows) {
    const state = workflow.replaced.length === 0 ? "unchanged" : workflow.wasActive ? "changes; was active: publish it again after the import" : "changes";
    lines.push(`  "${workflow.name}" (id ${workflow.id}): ${state}`);
    for (const node of workflow.replaced) {
      lines.push(
        `    replace "${node.node}" with Salesforce Action using "${node.credentialName}", token into ${node.outputField}`
      );
    }
    for (const node of workflow.skipped)
      lines.push(`    leave "${node.node}" as it is: ${node.reason}`);
  }
  lines.push("");
  lines.push(
    `Summary: ${replacedCount} node(s) to replace in ${changing.length} workflow(s), ${plan.credentialImports.length} credential(s) to create, ${skippedCount} node(s) left as they are, ${plan.untouchedWorkflowCount} workflow(s) without the deprecated node not touched.`
  );
  return lines;
}

// migrate/src/cli.ts
var CREDENTIALS_FILE = "salesforce-credentials.json";
var WORKFLOWS_FILE = "migrated-workflows.json";
var REPORT_FILE = "migration-report.txt";
var USAGE = `Migrates saved workflows off the deprecated Salesforce Authentication node.

Usage:
  node salesforce-auth-migration.mjs --input=<workflows export> [--credentials=<credentials export>]
      [--use-credential=<environment>=<credential>]... [--apply] [--output=<folder>]

  --input        What "n8n export:workflow --all --output=<file>" wrote (a file), or the folder of
                 "n8n export:workflow --all --separate --output=<folder>". Keep it: it is your backup.
  --credentials  Optional, recommended: what "n8n export:credentials --all --output=<file>" wrote
                 (encrypted, the default; only ids and names are read). Recognises the credentials an
                 earlier run created, so none is created twice.
  --no-credentials  This n8n holds no credentials yet ("n8n export:credentials" finds none).
  --use-credential  Use a credential you already have for an environment instead of creating one:
                 <environment> is the id or host the dry run shows for it, <credential> your
                 credential's name or id (from --credentials). Once per environment, e.g.
                 --use-credential="acme.my.salesforce.com=Production Env".
  --apply        Write the files to import (needs --credentials or --no-credentials). Without it: a dry
                 run that only prints what would change.
  --output       A new or empty folder for the files (default: a new private folder in ${tmpdir()}).

Guide: https://github.com/n8n-nodes-salesforce-integration/n8n-nodes-salesforce-integration/blob/main/docs/migrating-from-salesforce-authentication.md`;
var UsageError = class extends Error {
};
function parseArguments(argv) {
  const options = { apply: false, noCredentials: false, chosenCredentials: [] };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === "--help" || argument === "-h") return "help";
    if (argument === "--apply") {
      options.apply = true;
      continue;
    }
    if (argument === "--no-credentials") {
      options.noCredentials = true;
      continue;
    }
    const match = /^--(input|credentials|output|use-credential)(?:=(.*))?$/.exec(argument);
    if (!match) throw new UsageError(`Unknown argument "${argument}".`);
    const value = match[2] ?? argv[++index];
    if (value === void 0 || value === "") throw new UsageError(`--${match[1]} needs a value.`);
    if (match[1] === "use-credential") {
      const separator = value.indexOf("=");
      if (separator <= 0 || separator === value.length - 1) {
        throw new UsageError(
          `--use-credential needs <environment>=<credential>, e.g. --use-credential="acme.my.salesforce.com=Production Env", not "${value}".`
        );
      }
      options.chosenCredentials?.push({
        environment: value.slice(0, separator).trim(),
        credential: value.slice(separator + 1).trim()
      });
      continue;
    }
    options[match[1]] = value;
  }
  if (!options.input) throw new UsageError("--input is missing.");
  if (options.credentials && options.noCredentials)
    throw new UsageError("--credentials and --no-credentials contradict each other.");
  if (options.apply && !options.credentials && !options.noCredentials) {
    throw new UsageError(
      '--apply needs --credentials=<what "n8n export:credentials --all --output=<file>" wrote>, so the credentials an earlier run created — which you may have edited since — are recognised and never overwritten. If this n8n holds no credentials at all (export:credentials says "No credentials found"), pass --no-credentials instead.'
    );
  }
  return options;
}
function parseJsonFile(file) {
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(error.message)?.[1];
    throw new UsageError(
      `${file} is not valid JSON${position ? ` (at character ${position})` : ""}.`
    );
  }
}
function readExport(path) {
  if (!existsSync(path)) throw new UsageError(`${path} does not exist.`);
  const files = statSync(path).isDirectory() ? readdirSync(path).filter((entry) => entry.endsWith(".json")).sort().map((entry) => join(path, entry)) : [path];
  return files.flatMap((file) => {
    const content = parseJsonFile(file);
    return Array.isArray(content) ? content : [content];
  });
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function readWorkflows(path) {
  return readExport(path).map((workflow, index) => {
    if (!isObject(workflow) || typeof workflow.id !== "string" || !Array.isArray(workflow.nodes)) {
      throw new UsageError(
        `${path}: entry ${index + 1} is not a workflow exported by "n8n export:workflow" (it needs an id and nodes).`
      );
    }
    return workflow;
  });
}
function readCredentials(path) {
  return readExport(path).map((credential, index) => {
    if (!isObject(credential) || typeof credential.id !== "string" || typeof credential.type !== "string") {
      throw new UsageError(
        `${path}: entry ${index + 1} is not a credential exported by "n8n export:credentials".`
      );
    }
    return { id: credential.id, name: String(credential.name ?? ""), type: credential.type };
  });
}
function outputFolder(requested) {
  if (requested === void 0) return mkdtempSync(join(tmpdir(), "salesforce-migration-"));
  const folder = resolve(requested);
  if (existsSync(folder)) {
    if (!statSync(folder).isDirectory() || readdirSync(folder).length > 0) {
      throw new UsageError(
        `--output ${folder} must be a new or empty folder, so no earlier file is overwritten or mixed in.`
      );
    }
    chmodSync(folder, 448);
  } else {
    mkdirSync(folder, { recursive: true, mode: 448 });
  }
  return folder;
}
function writePrivateFile(file, content) {
  const descriptor = openSync(file, "wx", 384);
  try {
    writeSync(descriptor, content);
  } finally {
    closeSync(descriptor);
  }
}
function shellQuote(path) {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
function nextSteps(plan, folder) {
  const credentialsFile = shellQuote(join(folder, CREDENTIALS_FILE));
  const lines = ["", `Written to ${folder} (readable only by you). Next:`];
  let step = 1;
  if (plan.credentialImports.length > 0) {
    lines.push(`  ${step++}. n8n import:credentials --input=${credentialsFile}`);
  }
  lines.push(
    `  ${step++}. n8n import:workflow --input=${shellQuote(join(folder, WORKFLOWS_FILE))}`
  );
  const active = plan.workflows.filter(
    (workflow) => workflow.wasActive && workflow.replaced.length > 0
  );
  for (const workflow of active)
    lines.push(
      `  ${step++}. n8n publish:workflow --id=${workflow.id}    # "${workflow.name}" was active`
    );
  if (plan.credentialImports.length > 0) {
    lines.push(
      `  ${step++}. rm ${credentialsFile}    # it holds the secrets in plain text; n8n keeps them encrypted`
    );
  }
  lines.push(`  ${step}. Restart n8n (if it runs) and run each migrated workflow once.`);
  return lines;
}
function runCli(argv, io) {
  let options;
  try {
    options = parseArguments(argv);
    if (options === "help") {
      io.out(USAGE);
      return 0;
    }
    const workflows = readWorkflows(options.input);
    const existingCredentials = options.credentials ? readCredentials(options.credentials) : void 0;
    const plan = planMigration({
      workflows,
      existingCredentials,
      chosenCredentials: options.chosenCredentials
    });
    const report = describePlan(plan);
    io.out(report.join("\n"));
    if (!existingCredentials) {
      io.out(
        "\n(No --credentials export given: credentials an earlier run created are recognised only where migrated workflows use them.)"
      );
    }
    if (plan.migratedWorkflows.length === 0) {
      io.out("\nNothing to migrate: no file written.");
      return 0;
    }
    if (!options.apply) {
      io.out(
        "\nDry run: nothing was written. Run again with --apply to write the files to import."
      );
      return 0;
    }
    const folder = outputFolder(options.output);
    if (plan.credentialImports.length > 0) {
      writePrivateFile(
        join(folder, CREDENTIALS_FILE),
        JSON.stringify(plan.credentialImports, null, "	") + "\n"
      );
    }
    writePrivateFile(
      join(folder, WORKFLOWS_FILE),
      JSON.stringify(plan.migratedWorkflows, null, "	") + "\n"
    );
    const steps = nextSteps(plan, folder);
    writePrivateFile(join(folder, REPORT_FILE), [...report, ...steps].join("\n") + "\n");
    io.out(steps.join("\n"));
    return 0;
  } catch (error) {
    if (error instanceof MigrationInputError) {
      io.err(error.message);
      return 2;
    }
    if (error instanceof UsageError) {
      io.err(`${error.message}

${USAGE}`);
      return 2;
    }
    const code = error.code;
    io.err(
      code ? `${code}: ${error.message}` : "The migration failed unexpectedly; nothing was written."
    );
    return 1;
  }
}

// migrate/src/main.ts
process.exitCode = runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}
`),
  err: (text) => process.stderr.write(`${text}
`)
});
