/**
 * Data stores: Cloud SQL instances, databases and users, and Memorystore for Redis instances. Addresses,
 * server CA certificates and AUTH strings exist only once Google has created the instance, so they are
 * placeholders here, reported as such; secret outputs stay secret (the provider lists `serverCaCerts`,
 * `rootPassword`, `authString` in additionalSecretOutputs and the offline runtime honours that).
 */
import { autoName, hex, ResourceCall, str, uuid } from "../context";
import { gcpZones } from "./zones";
import { CREATED, Ctx, hostIn, Model, placeholderPem, privateBlock, sha1Of } from "./shared";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/** One server CA certificate as Cloud SQL reports it (per-instance CA, ten years). */
function sqlServerCa(ctx: Ctx, name: string): Obj {
  const cert = placeholderPem(`${ctx.seed}/ca`, `the Cloud SQL server CA of ${name}`);
  return {
    cert,
    commonName: `C=US,O=Google\\, Inc,CN=Google Cloud SQL Server CA,dnQualifier=${uuid(`${ctx.seed}/dnq`)}`,
    createTime: CREATED,
    expirationTime: "2036-01-01T00:00:00Z",
    sha1Fingerprint: sha1Of(cert),
  };
}

const CAS_MODES = new Set(["GOOGLE_MANAGED_CAS_CA", "CUSTOMER_MANAGED_CAS_CA"]);

const sqlInstance: Model = (call, ctx) => {
  const name = str(call.inputs, "name") ?? autoName(call, { lowercase: true });
  const region = str(call.inputs, "region") ?? ctx.region;
  const ip = obj(obj(call.inputs.settings).ipConfiguration);
  const addresses: { ipAddress: string; type: string }[] = [];
  // Cloud SQL gives an instance a public IP unless ipv4Enabled is false (the API's default is true).
  if (ip.ipv4Enabled !== false) {
    addresses.push({ ipAddress: `203.0.113.${1 + (parseInt(hex(ctx.seed, 2), 16) % 250)}`, type: "PRIMARY" });
  }
  if (typeof ip.privateNetwork === "string" && ip.privateNetwork) {
    addresses.push({ ipAddress: `10.61.${parseInt(hex(ctx.seed, 2), 16) % 250}.3`, type: "PRIVATE" });
  }
  const ipAddresses = addresses.map((a) => ({ ...a, timeToRetire: "" }));
  // An instance-level DNS name (in the server certificate) comes with CAS-based server CAs and with
  // Private Service Connect ("Cloud SQL: Configure DNS", docs.cloud.google.com/sql/docs/postgres/configure-dns).
  const psc = obj(ip.pscConfig).pscEnabled === true;
  const dnsName =
    CAS_MODES.has(String(ip.serverCaMode ?? "")) || psc
      ? `${hex(`${ctx.seed}/dns`, 12)}.${region}.sql.goog.`
      : "";
  ctx.placeholder("address");
  ctx.placeholder("caCert");
  ctx.placeholder("projectNumber");
  return {
    id: name,
    out: {
      name,
      region,
      connectionName: `${ctx.project}:${region}:${name}`,
      selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${ctx.project}/instances/${name}`,
      ipAddresses,
      firstIpAddress: ipAddresses[0]?.ipAddress ?? "",
      publicIpAddress: addresses.find((a) => a.type === "PRIMARY")?.ipAddress ?? "",
      privateIpAddress: addresses.find((a) => a.type === "PRIVATE")?.ipAddress ?? "",
      dnsName,
      dnsNames: dnsName
        ? [
            {
              name: dnsName,
              connectionType: psc ? "PRIVATE_SERVICE_CONNECT" : "PRIVATE_SERVICES_ACCESS",
              dnsScope: "INSTANCE",
            },
          ]
        : [],
      serverCaCerts: [sqlServerCa(ctx, name)],
      instanceType:
        str(call.inputs, "instanceType") ??
        (str(call.inputs, "masterInstanceName") ? "READ_REPLICA_INSTANCE" : "CLOUD_SQL_INSTANCE"),
      pscServiceAttachmentLink: "",
      availableMaintenanceVersions: [],
      serviceAccountEmailAddress: `p${ctx.projectNumber}-${hex(`${ctx.seed}/sa`, 6)}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
    },
  };
};

/** The instance a database or user belongs to (its name; the input may be the instance's full id). */
function instanceOf(call: ResourceCall): string {
  return (str(call.inputs, "instance") ?? "instance").split("/").pop() as string;
}

/** Memorystore for Redis: endpoints in a placeholder reserved range, CA and AUTH placeholders. */
const redisInstance: Model = (call, ctx) => {
  const region = str(call.inputs, "region") ?? ctx.region;
  const zones = gcpZones(region);
  const tier = str(call.inputs, "tier") ?? "BASIC";
  const location = str(call.inputs, "locationId") ?? zones[0];
  const alternative =
    str(call.inputs, "alternativeLocationId") ?? zones.find((z) => z !== location) ?? location;
  const reserved = str(call.inputs, "reservedIpRange");
  const cidr =
    reserved && /\/\d+$/.test(reserved) ? reserved : privateBlock(ctx.seed, tier === "BASIC" ? 29 : 28);
  const tls = call.inputs.transitEncryptionMode === "SERVER_AUTHENTICATION";
  const port = tls ? 6378 : 6379;
  const readReplicas = call.inputs.readReplicasMode === "READ_REPLICAS_ENABLED";
  const replicaCount =
    typeof call.inputs.replicaCount === "number" ? call.inputs.replicaCount : readReplicas ? 1 : 0;
  const nodes = [{ id: "node-0", zone: location }];
  if (tier === "STANDARD_HA") {
    for (let i = 1; i <= Math.max(1, replicaCount); i++) nodes.push({ id: `node-${i}`, zone: alternative });
  }
  const out: Obj = {
    name: ctx.name,
    region,
    locationId: location,
    currentLocationId: location,
    host: hostIn(cidr, 4),
    port,
    effectiveReservedIpRange: cidr,
    nodes,
    createTime: CREATED,
    persistenceIamIdentity: `serviceAccount:service-${ctx.projectNumber}@cloud-redis.iam.gserviceaccount.com`,
    serverCaCerts: [],
    authString: "",
  };
  if (tier === "STANDARD_HA") out.alternativeLocationId = alternative;
  // Without read replicas the API reports no read endpoint (the provider's "" and 0).
  Object.assign(
    out,
    readReplicas
      ? { readEndpoint: hostIn(cidr, 5), readEndpointPort: port }
      : { readEndpoint: "", readEndpointPort: 0 },
  );
  if (tls) {
    const cert = placeholderPem(`${ctx.seed}/ca`, `the Memorystore server CA of ${ctx.name}`);
    out.serverCaCerts = [
      {
        serialNumber: "0",
        cert,
        createTime: CREATED,
        expireTime: "2036-01-01T00:00:00Z",
        sha1Fingerprint: sha1Of(cert),
      },
    ];
    ctx.placeholder("caCert");
  }
  if (call.inputs.authEnabled === true) {
    out.authString = `offline-placeholder-${uuid(`${ctx.seed}/auth`)}`;
    ctx.placeholder("authString");
  }
  ctx.placeholder("address");
  ctx.placeholder("projectNumber");
  return { id: `projects/${ctx.project}/locations/${region}/instances/${ctx.name}`, out };
};

export const DATA_MODELS: Record<string, Model> = {
  "gcp:sql/databaseInstance:DatabaseInstance": sqlInstance,
  "gcp:sql/database:Database": (call, ctx) => {
    const instance = instanceOf(call);
    const id = `projects/${ctx.project}/instances/${instance}/databases/${ctx.name}`;
    return {
      id,
      out: { name: ctx.name, selfLink: `https://sqladmin.googleapis.com/sql/v1beta4/${id}` },
    };
  },
  // The provider's id is NAME/HOST/INSTANCE; PostgreSQL users have no host.
  "gcp:sql/user:User": (call, ctx) => ({
    id: `${ctx.name}/${str(call.inputs, "host") ?? ""}/${instanceOf(call)}`,
    out: {
      name: ctx.name,
      sqlServerUserDetails: [],
      iamEmail: String(call.inputs.type ?? "").startsWith("CLOUD_IAM")
        ? ctx.name.replace(/@([^@]+)\.iam$/, "@$1.iam.gserviceaccount.com")
        : "",
    },
  }),
  "gcp:redis/instance:Instance": redisInstance,
};
