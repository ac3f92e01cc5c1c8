/**
 * Least privilege on GCP, identities: IAM grants however written (member, binding, policy; on a resource,
 * project, folder or organization), legacy Cloud Storage ACLs, runtime service accounts, Memorystore AUTH.
 */
import { resourceRule } from "../../lib/rule";
import { judgeEnv, EnvVar } from "../../lib/secrets";
import { asArray, show } from "../../lib/util";
import { BASIC_ROLES, forEachGrant, GCP_IAM_TYPES, HIERARCHY_IAM_TYPES, PUBLIC_MEMBERS } from "./iam";
import { Obj } from "./refs";
import { REDIS, REDIS_CLUSTER, VALKEY } from "./tls";

export { GCP_IAM_TYPES } from "./iam";

export const gcpNoBasicRoles = resourceRule({
  id: "gcp-no-basic-roles",
  description: "No basic role (roles/owner, roles/editor, roles/viewer) is granted anywhere.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    "Meridian: components grant predefined roles on the narrowest resource (components/gcp/iam.ts refuses basic roles). Raw: in the IAM member/binding `role` (or the `policyData` binding), replace the basic role with the predefined role(s) the principal needs, e.g. `roles/cloudsql.client`, `roles/run.invoker`.",
  references: ["CKV_GCP_117", "CIS GCP 1.5"],
  types: GCP_IAM_TYPES,
  check(r, report, ctx) {
    forEachGrant(r, ctx.cannotCheck, (g) => {
      if (BASIC_ROLES.includes(g.role)) report(`grants ${g.role} to ${g.members.join(", ")}.`);
    });
  },
});

export const gcpNoPublicMembers = resourceRule({
  id: "gcp-no-public-members",
  description:
    "No IAM grant to allUsers or allAuthenticatedUsers on any resource, project, folder or organization (waive it for a public-asset bucket).",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    'Meridian: public traffic goes through the load balancer/CDN (components/gcp/loadBalancer.ts), never direct IAM; a Cloud Run service behind the load balancer uses `ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"` with `invokerIamDisabled: true` instead of an allUsers run.invoker grant. Raw: remove `allUsers`/`allAuthenticatedUsers` from `member`/`members`/`policyData` and grant a service account or group; for a deliberately public asset bucket add a waiver in policies/config/<stack>.json with reason and expiry.',
  references: ["CKV_GCP_28", "CKV_GCP_102", "CIS GCP 5.1"],
  types: GCP_IAM_TYPES,
  check(r, report, ctx) {
    forEachGrant(r, ctx.cannotCheck, (g) => {
      const pub = g.members.filter((m) => PUBLIC_MEMBERS.includes(m));
      if (pub.length) report(`grants ${g.role} to ${pub.join(", ")}.`);
    });
  },
});

const SECRET_ROLES = /^roles\/secretmanager\.(secretAccessor|admin)$/;

export const gcpSecretAccessPerSecret = resourceRule({
  id: "gcp-secret-access-per-secret",
  description:
    "Secret Manager access (secretAccessor, admin) is granted per secret, not on the project, folder or organization.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    "Meridian: components grant `roles/secretmanager.secretAccessor` on each secret an identity reads (components/gcp/secret.ts `createManagedSecret`). Raw: use `gcp.secretmanager.SecretIamMember` (`secretId`, `role`, `member`) on the secret instead of a `projects`/`folder`/`organizations` IAM grant.",
  references: [],
  types: HIERARCHY_IAM_TYPES,
  check(r, report, ctx) {
    const scope = r.type.split(":")[1].split("/")[0];
    const on = scope === "projects" ? "project" : scope === "folder" ? "folder" : "organization";
    forEachGrant(r, ctx.cannotCheck, (g) => {
      if (SECRET_ROLES.test(g.role))
        report(`grants ${g.role} on the whole ${on} to ${g.members.join(", ")}.`);
    });
  },
});

const RUN_V2 = "gcp:cloudrunv2/service:Service";
const RUN_V2_JOB = "gcp:cloudrunv2/job:Job";
const RUN_V1 = "gcp:cloudrun/service:Service";
const DEFAULT_SA = /-compute@developer\.gserviceaccount\.com$|@appspot\.gserviceaccount\.com$/;

export const gcpDedicatedServiceAccount = resourceRule({
  id: "gcp-dedicated-service-account",
  description:
    "Cloud Run services and jobs and VMs run as a dedicated service account, not the default compute account.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    'Meridian: the GCP service and job components (components/gcp/service.ts, components/gcp/jobs.ts) create one service account per workload. Raw: Cloud Run v2 service `template.serviceAccount: sa.email`, job `template.template.serviceAccount`; v1 `template.spec.serviceAccountName`; VMs `serviceAccount: { email: sa.email, scopes: ["cloud-platform"] }`.',
  references: ["CKV_GCP_30", "CIS GCP 4.1"],
  types: [
    RUN_V2,
    RUN_V2_JOB,
    RUN_V1,
    "gcp:compute/instance:Instance",
    "gcp:compute/instanceTemplate:InstanceTemplate",
  ],
  check(r, report) {
    const t = (r.props.template ?? {}) as Obj;
    let email: unknown;
    if (r.type === RUN_V2) email = t.serviceAccount;
    else if (r.type === RUN_V2_JOB) email = ((t.template ?? {}) as Obj).serviceAccount;
    else if (r.type === RUN_V1) email = ((t.spec ?? {}) as Obj).serviceAccountName;
    else email = ((r.props.serviceAccount ?? {}) as Obj).email;
    if (!email) report("no service account set: the default compute service account (Editor) is used.");
    else if (DEFAULT_SA.test(String(email))) report(`runs as the default service account ${email}.`);
  },
});

const ACL_ENTITY = [
  "gcp:storage/bucketAccessControl:BucketAccessControl",
  "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl",
  "gcp:storage/objectAccessControl:ObjectAccessControl",
];
const ACL_LIST = [
  "gcp:storage/bucketACL:BucketACL",
  "gcp:storage/defaultObjectACL:DefaultObjectACL",
  "gcp:storage/objectACL:ObjectACL",
];
const PUBLIC_PREDEFINED = ["publicRead", "publicReadWrite", "authenticatedRead"];
const isPublicEntity = (e: string) => PUBLIC_MEMBERS.some((m) => e.toLowerCase() === m.toLowerCase());

export const gcpStorageNoPublicAcl = resourceRule({
  id: "gcp-storage-no-public-acl",
  description:
    "No legacy Cloud Storage ACL (bucket, default object or object ACL) grants access to allUsers or allAuthenticatedUsers.",
  severity: "critical",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    'Meridian: buckets use uniform bucket-level access (ACLs are disabled) and public access prevention. Raw: drop the ACL resource, or set its `entity` / `roleEntities` to a `user-`, `group-` or `project-` entity and `predefinedAcl` to `"private"` or `"projectPrivate"`; better, set `uniformBucketLevelAccess: true` on the bucket, which disables ACLs.',
  references: ["CKV_GCP_28", "CIS GCP 5.1"],
  types: [...ACL_ENTITY, ...ACL_LIST],
  check(r, report) {
    const p = r.props;
    if (ACL_ENTITY.includes(r.type)) {
      const entity = String(p.entity ?? "");
      if (isPublicEntity(entity)) report(`entity ${entity} gets ${show(p.role ?? "a role")}.`);
      return;
    }
    const pub = asArray(p.roleEntities as string[])
      .map(String)
      .filter((re) => isPublicEntity(re.split(":").slice(1).join(":")));
    if (pub.length) report(`roleEntities grant ${pub.join(", ")}.`);
    for (const key of ["predefinedAcl", "defaultAcl"])
      if (PUBLIC_PREDEFINED.includes(String(p[key]))) report(`${key} is ${p[key]}.`);
  },
});

/** The AUTH setting per Memorystore kind: property, value that turns it on, what unset means. */
const AUTH: Record<string, [string, unknown, string]> = {
  [REDIS]: ["authEnabled", true, "false"],
  [REDIS_CLUSTER]: ["authorizationMode", "AUTH_MODE_IAM_AUTH", "AUTH_MODE_DISABLED"],
  [VALKEY]: ["authorizationMode", "IAM_AUTH", "AUTH_DISABLED"],
};

export const redisAuth = resourceRule({
  id: "gcp-redis-auth",
  description:
    "Memorystore requires clients to authenticate (Redis AUTH on instances, IAM auth on Redis Cluster and Valkey): the private network alone is not access control.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    'Meridian: the GCP cache component (components/gcp/cache.ts) enables AUTH and stores the `rediss://` URL with the AUTH string in Secret Manager. Raw: `authEnabled: true` (redis.Instance; read the string from `authString`), `authorizationMode: "AUTH_MODE_IAM_AUTH"` (redis.Cluster) or `"IAM_AUTH"` (memorystore.Instance, immutable).',
  references: ["CKV_GCP_95"],
  types: [REDIS, REDIS_CLUSTER, VALKEY],
  check(r, report) {
    const [prop, on, off] = AUTH[r.type];
    const v = r.props[prop];
    if (v !== on) report(`${prop} is ${show(v ?? `unset (${off})`)}; any client on the network can connect.`);
  },
});

/**
 * Where GCP container and function environments live, per resource type: lists of `{ name, value }` with
 * references in `valueSource` (Cloud Run v2) or `valueFrom` (Cloud Run v1), or maps of plain values
 * (Cloud Functions; secrets there go to `secretEnvironmentVariables`).
 */
const GCP_ENV_SOURCES: Record<string, (p: Obj) => { where: string; list?: Obj[]; map?: Obj }[]> = {
  "gcp:cloudrunv2/service:Service": (p) => runV2Containers(((p.template ?? {}) as Obj).containers),
  "gcp:cloudrunv2/workerPool:WorkerPool": (p) => runV2Containers(((p.template ?? {}) as Obj).containers),
  "gcp:cloudrunv2/job:Job": (p) =>
    runV2Containers(((((p.template ?? {}) as Obj).template ?? {}) as Obj).containers),
  "gcp:cloudrun/service:Service": (p) =>
    runV2Containers(((((p.template ?? {}) as Obj).spec ?? {}) as Obj).containers),
  "gcp:cloudfunctions/function:Function": (p) => [
    { where: "environmentVariables", map: p.environmentVariables as Obj },
    { where: "buildEnvironmentVariables", map: p.buildEnvironmentVariables as Obj },
  ],
  "gcp:cloudfunctionsv2/function:Function": (p) => [
    {
      where: "serviceConfig.environmentVariables",
      map: ((p.serviceConfig ?? {}) as Obj).environmentVariables as Obj,
    },
    {
      where: "buildConfig.environmentVariables",
      map: ((p.buildConfig ?? {}) as Obj).environmentVariables as Obj,
    },
  ],
};

function runV2Containers(containers: unknown): { where: string; list: Obj[] }[] {
  return asArray(containers as Obj[]).map((c, i) => ({
    where: `container ${c.name ?? i}`,
    list: asArray(c.envs as Obj[]),
  }));
}

export const gcpNoPlaintextEnvSecrets = resourceRule({
  id: "gcp-no-plaintext-env-secrets",
  description:
    "Cloud Run (services, jobs, worker pools; v1 and v2) and Cloud Functions environment variables hold no secret-looking plain values; secrets come from Secret Manager by reference.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "gcp",
  area: "least-privilege",
  remediation:
    "Meridian: the GCP service and jobs components (components/gcp/service.ts, components/gcp/jobs.ts) take secrets in `secrets: { NAME: <SecretRef> }` and inject them with `valueSource.secretKeyRef`; plain `environment` refuses secret-looking names. Raw: Cloud Run v2 `envs: [{ name, valueSource: { secretKeyRef: { secret, version } } }]`, v1 `envs: [{ name, valueFrom: { secretKeyRef: { name, key } } }]`, Cloud Functions `secretEnvironmentVariables` (v2: `serviceConfig.secretEnvironmentVariables`).",
  references: [],
  types: Object.keys(GCP_ENV_SOURCES),
  check(r, report, ctx) {
    const vars: EnvVar[] = [];
    for (const src of GCP_ENV_SOURCES[r.type](r.props)) {
      for (const e of src.list ?? []) {
        if (e.valueSource !== undefined || e.valueFrom !== undefined) continue; // a reference
        vars.push({ where: src.where, name: String(e.name ?? ""), holder: e, key: "value" });
      }
      const map = src.map ?? {};
      for (const name of Object.keys(map)) vars.push({ where: src.where, name, holder: map, key: name });
    }
    judgeEnv(vars, report, ctx.cannotCheck, "inject it from Secret Manager by reference");
  },
});

export const gcpAccessRules = [
  gcpNoBasicRoles,
  gcpNoPublicMembers,
  gcpSecretAccessPerSecret,
  gcpDedicatedServiceAccount,
  gcpStorageNoPublicAcl,
  redisAuth,
  gcpNoPlaintextEnvSecrets,
];
