/**
 * The nine go-live checks (see checklist.ts). Argument names are the providers' (node_modules/@pulumi/aws and
 * @pulumi/gcp type definitions): ECS `containerDefinitions` (a JSON string), Cloud Run v2
 * `template.containers[].envs`, CloudFront `defaultCacheBehavior` / `orderedCacheBehaviors`, ALB listeners,
 * CloudWatch alarms, Cloud Monitoring alert policies, RDS / Aurora / DynamoDB / Cloud SQL, WAFv2 and Cloud Armor.
 */
import { at, Check, CheckResult, listAt, Node } from "./checklistGraph";
import {
  cacheBehaviors,
  CF,
  ECS_TASK,
  entryPoints,
  envVars,
  GCP_BACKENDS,
  LAMBDA,
  LBS,
  LISTENERS,
  RUN_V2,
  RUN_V2_JOB,
  stores,
} from "./checklistSources";

type Verdict = Omit<CheckResult, "id" | "title">;
const pass = (why: string, nodes: Node[]): Verdict => ({ status: "pass", why, resources: urns(nodes) });
const fail = (why: string, nodes: Node[]): Verdict => ({ status: "fail", why, resources: urns(nodes) });
const human = (why: string, nodes: Node[] = []): Verdict => ({
  status: "human",
  why,
  resources: urns(nodes),
});
const urns = (nodes: Node[]) => [...new Set(nodes.map((n) => n.r.urn))];
const names = (nodes: Node[]) => nodes.map((n) => n.r.name).join(", ");

/** The verdict over entry points: any bad one fails, any to review needs a human, else pass (none: a human). */
function entryVerdict(
  bad: Node[],
  review: Node[],
  seen: Node[],
  say: { fail(n: string): string; review(n: string): string; pass(n: string): string; none: string },
): Verdict {
  if (bad.length) return fail(say.fail(names(bad)), bad);
  if (review.length) return human(say.review(names(review)), review);
  if (seen.length) return pass(say.pass(names(seen)), seen);
  return human(say.none);
}

const cors: Check = {
  id: "cors-origins",
  title: "CORS restricted to real origins",
  evaluate(g) {
    const { vars, unknown } = envVars(g);
    const settings: { node: Node; origins: string[] }[] = vars
      .filter((v) => /CORS|ALLOWED_ORIGINS/i.test(v.name) && v.value !== undefined)
      .map((v) => ({ node: v.node, origins: v.value!.split(/[,\s]+/).filter(Boolean) }));
    for (const n of g.ofType(
      "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2",
      "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
    ))
      settings.push({
        node: n,
        origins: listAt(n.state, "corsRules").flatMap((r) => (r.allowedOrigins as string[]) ?? []),
      });
    for (const n of g.ofType("gcp:storage/bucket:Bucket"))
      for (const c of listAt(n.state, "cors"))
        settings.push({ node: n, origins: (c.origins as string[]) ?? [] });
    const bad = settings.filter((s) =>
      s.origins.some((o) => o === "*" || /^http:\/\/|localhost|127\.0\.0\.1/.test(o)),
    );
    if (bad.length)
      return fail(
        `an origin is "*", plain http or local: ${bad.map((s) => `${s.node.r.name} (${s.origins.join(", ")})`).join("; ")}`,
        bad.map((s) => s.node),
      );
    if (settings.length && !settings.some((s) => s.origins.length === 0))
      return pass(
        `every CORS setting names https origins: ${[...new Set(settings.flatMap((s) => s.origins))].join(", ")}`,
        settings.map((s) => s.node),
      );
    if (unknown.length)
      return human(`the container definitions of ${names(unknown)} are known only after deployment`, unknown);
    return human(
      "no CORS setting found in the stack (the application may set it in code or default to same-origin): confirm the allowed origins",
    );
  },
};

const YEAR = 31_536_000;

const hsts: Check = {
  id: "hsts",
  title: "HSTS on every public endpoint",
  evaluate(g) {
    const policies = g.ofType("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
    const good = new Set(
      policies
        .filter(
          (p) =>
            Number(at(p.state, "securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec")) >=
            YEAR,
        )
        .map((p) => p.r.id),
    );
    const edges: Node[] = [];
    const missing: Node[] = [];
    for (const d of g.ofType(CF)) {
      edges.push(d);
      const behaviors = cacheBehaviors(d);
      if (behaviors.some((b) => !good.has(String(at(b, "responseHeadersPolicyId") ?? "")))) missing.push(d);
    }
    for (const b of g.ofType(...GCP_BACKENDS)) {
      const headers = (at(b.state, "customResponseHeaders") as string[] | undefined) ?? [];
      if (b.r.type.endsWith("BackendService") && at(b.state, "loadBalancingScheme") === "INTERNAL_MANAGED")
        continue;
      edges.push(b);
      const h = headers.find((x) => /^strict-transport-security:/i.test(x));
      const age = Number(/max-age=(\d+)/i.exec(h ?? "")?.[1] ?? 0);
      if (age < YEAR) missing.push(b);
    }
    if (missing.length)
      return fail(
        `no Strict-Transport-Security header of at least one year (max-age ${YEAR}) on ${names(missing)}`,
        missing,
      );
    if (edges.length) return pass(`HSTS (max-age ≥ ${YEAR} s) on ${names(edges)}`, edges);
    return human(
      "no CloudFront distribution or Google Cloud load balancer backend in the stack: confirm the application or the edge in front of it sends Strict-Transport-Security",
    );
  },
};

const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

const secretsByRef: Check = {
  id: "secrets-by-reference",
  title: "Secrets only by reference",
  evaluate(g) {
    const { vars, workloads, unknown } = envVars(g);
    const literal = vars.filter(
      (v) =>
        !v.byReference &&
        v.value !== undefined &&
        (SECRET_NAME.test(v.name) || /:\/\/[^/\s:@]+:[^/\s@]+@/.test(v.value)),
    );
    if (literal.length)
      return fail(
        `secret-looking values set literally in the environment: ${literal.map((v) => `${v.node.r.name}: ${v.name}`).join(", ")} (use the secret store's reference: ECS \`secrets[].valueFrom\`, Cloud Run \`valueSource.secretKeyRef\`)`,
        literal.map((v) => v.node),
      );
    if (unknown.length)
      return human(`the container definitions of ${names(unknown)} are known only after deployment`, unknown);
    if (!workloads.length)
      return human(
        "no container or function workload in the stack: confirm how secrets reach the application",
      );
    const refs = vars.filter((v) => v.byReference).map((v) => v.name);
    return pass(
      `no secret-looking literal in ${workloads.length} workload definition(s); by reference: ${[...new Set(refs)].join(", ") || "none"}`,
      workloads,
    );
  },
};

const tls: Check = {
  id: "tls-forced",
  title: "TLS forced at every entry point",
  evaluate(g) {
    const { bad, review, seen, dists } = entryPoints(g);
    for (const d of dists) {
      const behaviors = cacheBehaviors(d);
      if (
        behaviors.some(
          (b) => !["redirect-to-https", "https-only"].includes(String(at(b, "viewerProtocolPolicy"))),
        )
      )
        bad.push(d);
    }
    const internal = new Set(
      g
        .ofType(...LBS)
        .filter((l) => l.state.internal === true)
        .map((l) => String(l.state.arn)),
    );
    for (const l of g.ofType(...LISTENERS)) {
      seen.push(l);
      if (l.state.protocol !== "HTTP" || internal.has(String(l.state.loadBalancerArn))) continue;
      const actions = listAt(l.state, "defaultActions");
      const redirects = actions.some((a) => a.type === "redirect" && at(a, "redirect.protocol") === "HTTPS");
      if (!redirects) (dists.length ? review : bad).push(l);
    }
    for (const p of g.ofType("gcp:compute/targetHttpProxy:TargetHttpProxy")) {
      seen.push(p);
      const maps = g
        .ofType("gcp:compute/uRLMap:URLMap")
        .filter((m) => [m.r.id, m.state.selfLink, m.state.id].includes(p.state.urlMap));
      if (!maps.some((m) => at(m.state, "defaultUrlRedirect.httpsRedirect") === true)) bad.push(p);
    }
    return entryVerdict(bad, review, seen, {
      fail: (n) => `plain HTTP is served without a redirect to HTTPS by ${n}`,
      review: (n) =>
        `${n} forward plain HTTP behind CloudFront: confirm the load balancer accepts traffic from CloudFront only (security group with the CloudFront origin-facing prefix list)`,
      pass: (n) => `every viewer-facing listener and distribution redirects to or requires HTTPS (${n})`,
      none: "no CloudFront distribution, load balancer listener or HTTP proxy in the stack: confirm how clients reach the service",
    });
  },
};

const observability: Check = {
  id: "dashboards-alarms",
  title: "Dashboards and alarms exist and route somewhere",
  evaluate(g) {
    const dashboards = g.ofType("aws:cloudwatch/dashboard:Dashboard", "gcp:monitoring/dashboard:Dashboard");
    const awsAlarms = g.ofType(
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    );
    const gcpAlerts = g.ofType("gcp:monitoring/alertPolicy:AlertPolicy");
    const alarms = [...awsAlarms, ...gcpAlerts];
    if (!dashboards.length || !alarms.length)
      return fail(
        `${dashboards.length} dashboard(s) and ${alarms.length} alarm(s) in the stack; both are needed`,
        [...dashboards, ...alarms],
      );
    const silent = [
      ...awsAlarms.filter(
        (a) => a.state.actionsEnabled === false || !(a.state.alarmActions as unknown[] | undefined)?.length,
      ),
      ...gcpAlerts.filter((a) => !(a.state.notificationChannels as unknown[] | undefined)?.length),
    ].filter((a) => !a.unknown("alarmActions") && !a.unknown("notificationChannels"));
    if (silent.length) return fail(`alarms that notify nobody: ${names(silent)}`, silent);
    const destinations = g.ofType(
      "aws:sns/topicSubscription:TopicSubscription",
      "gcp:monitoring/notificationChannel:NotificationChannel",
    );
    const topics = new Set(
      awsAlarms
        .flatMap((a) => (a.state.alarmActions as string[] | undefined) ?? [])
        .filter((t) => t.includes(":sns:")),
    );
    const subscribed = new Set(destinations.map((d) => String(d.state.topic ?? "")));
    const orphan = [...topics].filter((t) => !subscribed.has(t));
    if (orphan.length || (gcpAlerts.length && !destinations.some((d) => d.r.type.startsWith("gcp:"))))
      return human(
        `alarms notify ${orphan.join(", ") || "notification channels"} with no subscriber in the stack: confirm someone receives them (subscriptions may be managed outside the stack)`,
        alarms,
      );
    return pass(
      `${dashboards.length} dashboard(s); ${alarms.length} alarm(s), each notifying a destination with a subscriber (${names(destinations)})`,
      [...dashboards, ...alarms, ...destinations],
    );
  },
};

const backups: Check = {
  id: "backups-pitr",
  title: "Backups and point-in-time recovery on every database",
  evaluate(g) {
    const s = stores(g);
    if (!s.length)
      return human(
        "no RDS, Aurora, DynamoDB or Cloud SQL database in the stack: confirm where data lives and how it is backed up",
      );
    const off = s.filter((x) => x.backups === false || x.pitr === false);
    if (off.length)
      return fail(
        `backups or point-in-time recovery off on ${names(off.map((x) => x.node))}`,
        off.map((x) => x.node),
      );
    const unknown = s.filter((x) => x.backups === undefined || x.pitr === undefined);
    if (unknown.length)
      return human(
        `backup settings of ${names(unknown.map((x) => x.node))} are known only after deployment`,
        unknown.map((x) => x.node),
      );
    const plans = g.ofType("aws:backup/plan:Plan");
    const restoreTests = g.ofType("aws:backup/restoreTestingPlan:RestoreTestingPlan");
    const restore = restoreTests.length
      ? `; restore testing plan ${names(restoreTests)} (its results are read after deployment: docs/runbooks/restore-test.md)`
      : " (no restore testing plan: a restore test is still a human's job)";
    return pass(
      `automated backups and PITR on ${names(s.map((x) => x.node))}${plans.length ? `; AWS Backup plan ${names(plans)}` : ""}${restore}`,
      [...s.map((x) => x.node), ...plans, ...restoreTests],
    );
  },
};

const deletion: Check = {
  id: "deletion-protection",
  title: "Deletion protection on every database",
  evaluate(g) {
    const s = stores(g);
    if (!s.length)
      return human(
        "no RDS, Aurora, DynamoDB or Cloud SQL database in the stack: confirm what protects stored data from deletion",
      );
    const off = s.filter((x) => x.protection === false);
    if (off.length)
      return fail(
        `deletion protection off on ${names(off.map((x) => x.node))}`,
        off.map((x) => x.node),
      );
    const unknown = s.filter((x) => x.protection === undefined);
    if (unknown.length)
      return human(
        `deletion protection of ${names(unknown.map((x) => x.node))} is known only after deployment`,
        unknown.map((x) => x.node),
      );
    return pass(
      `deletion protection on ${names(s.map((x) => x.node))}`,
      s.map((x) => x.node),
    );
  },
};

const imagePinned: Check = {
  id: "image-pinned",
  title: "Container images pinned by digest",
  evaluate(g) {
    const images: { node: Node; image?: string }[] = [];
    for (const n of g.ofType(ECS_TASK)) {
      const raw = n.state.containerDefinitions;
      if (typeof raw !== "string") images.push({ node: n });
      else for (const c of JSON.parse(raw) as { image?: string }[]) images.push({ node: n, image: c.image });
    }
    for (const n of g.ofType(RUN_V2, RUN_V2_JOB)) {
      const containers = [
        ...listAt(n.state, "template.containers"),
        ...listAt(n.state, "template.template.containers"),
      ];
      if (!containers.length) images.push({ node: n });
      for (const c of containers)
        images.push({ node: n, image: typeof c.image === "string" ? c.image : undefined });
    }
    for (const n of g.ofType(LAMBDA).filter((l) => l.state.packageType === "Image"))
      images.push({ node: n, image: typeof n.state.imageUri === "string" ? n.state.imageUri : undefined });
    if (!images.length)
      return human(
        "no container image in the stack (ECS, Cloud Run, Lambda): confirm how the workload's artifact is pinned",
      );
    const unpinned = images.filter((i) => i.image !== undefined && !/@sha256:[0-9a-f]{64}$/.test(i.image));
    if (unpinned.length)
      return fail(
        `images referenced by tag, not digest: ${unpinned.map((i) => `${i.node.r.name}: ${i.image}`).join("; ")}`,
        unpinned.map((i) => i.node),
      );
    const unknown = images.filter((i) => i.image === undefined);
    if (unknown.length)
      return human(
        `the images of ${names(unknown.map((i) => i.node))} are known only after deployment`,
        unknown.map((i) => i.node),
      );
    return pass(
      `every image is pinned by digest (${images.length})`,
      images.map((i) => i.node),
    );
  },
};

const waf: Check = {
  id: "waf",
  title: "WAF in front of every public entry point",
  evaluate(g) {
    const { bad, review, seen, dists } = entryPoints(g);
    for (const d of dists) {
      if (!d.unknown("webAclId") && !d.state.webAclId) bad.push(d);
    }
    const associated = new Set(
      g.ofType("aws:wafv2/webAclAssociation:WebAclAssociation").map((a) => String(a.state.resourceArn)),
    );
    for (const lb of g.ofType(...LBS)) {
      if (lb.state.internal === true || lb.state.loadBalancerType === "network") continue;
      seen.push(lb);
      if (!associated.has(String(lb.state.arn))) (dists.length ? review : bad).push(lb);
    }
    for (const b of g.ofType("gcp:compute/backendService:BackendService")) {
      if (String(b.state.loadBalancingScheme ?? "EXTERNAL").startsWith("INTERNAL")) continue;
      seen.push(b);
      if (!b.unknown("securityPolicy") && !b.state.securityPolicy) bad.push(b);
    }
    return entryVerdict(bad, review, seen, {
      fail: (n) => `no web ACL / Cloud Armor policy on ${n}`,
      review: (n) =>
        `${n} has no web ACL of its own behind a CloudFront distribution: confirm it accepts traffic from CloudFront only`,
      pass: (n) => `a web ACL or Cloud Armor policy on ${n}`,
      none: "no CloudFront distribution, public load balancer or Google Cloud backend service in the stack: confirm what filters public traffic",
    });
  },
};

/** The checklist, in the order reports show it. */
export const CHECKS: readonly Check[] = [
  cors,
  hsts,
  secretsByRef,
  tls,
  observability,
  backups,
  deletion,
  imagePinned,
  waf,
];
