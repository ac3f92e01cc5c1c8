/** Config keys — The API service and its jobs: size, instances, image build, spot, schedule, telemetry, concurrency. See keys/index.ts for how the table is used. */
import { cronFinding, describeSizes, imageFinding } from "../findings";
import { type Cloud, type KeyDef, type Profile, pp } from "../types";

export const SERVICE_KEYS = {
  runtime: {
    kind: "string",
    allowed: ["cloudrun", "gke"],
    default: "cloudrun",
    noun: "a GCP runtime",
    cloud: "gcp",
    description:
      "How the GCP option runs the API: cloudrun (Cloud Run service and jobs behind the global HTTPS load balancer) or gke (a GKE Autopilot cluster with the Kubernetes workload in components/k8s, exposed by the Gateway API; docs/gke.md). Same data stores, secrets, edge protections and outputs either way. GCP only: refused on AWS. Cost: Autopilot bills the pods' requests plus $0.10/hour per cluster (docs/gke.md).",
  },
  cpu: {
    kind: "number",
    default: (p: Profile, cloud: Cloud | undefined) => (cloud === "aws" && p === "dev" ? 0.5 : 1),
    min: 0.25,
    max: 16,
    cloud: "both",
    description:
      "vCPU per instance. AWS Fargate: 0.25, 0.5, 1, 2, 4, 8 or 16, each with its own memory sizes (see memoryMiB). Cloud Run: 1, 2, 4, 6 or 8 (fractional CPU needs concurrency 1, which Meridian does not use). Cost: Fargate ~$0.040/vCPU-hour (~$30/month per vCPU always on).",
  },
  memoryMiB: {
    kind: "integer",
    default: pp(1024, 2048),
    min: 512,
    max: 122880,
    cloud: "both",
    description: `Memory per instance, in MiB; must fit the CPU. ${describeSizes()} Cost: Fargate ~$0.0044/GB-hour (~$3.25/month per GB always on).`,
  },
  minInstances: {
    kind: "integer",
    default: pp(1, 2),
    min: 0,
    max: 100,
    prod: { min: 2, why: "one instance per zone, so a zone outage or a rollout never leaves zero" },
    cloud: "both",
    description:
      "Instances kept running. Cost: each is billed around the clock (Fargate tasks; Cloud Run min instances at the idle rate).",
  },
  maxInstances: {
    kind: "integer",
    default: pp(2, 10),
    min: 1,
    max: 100,
    cloud: "both",
    description: "Upper bound for autoscaling; must be >= minInstances. Caps the cost of a traffic spike.",
  },
  buildImage: {
    kind: "boolean",
    default: false,
    cloud: "aws",
    description:
      "Build `app/` (app/Dockerfile, linux/amd64) and push it to the stack's ECR repository during `pulumi up` (@pulumi/awsx `ecr.Image`, needs a Docker engine where `pulumi up` runs), then deploy exactly that digest. For teams without a separate pipeline; the delivery workflow (docs/runbooks/release.md) is the default. Not with meridian:image (choose one). GCP: not supported (use Cloud Build or the delivery workflow; docs/gcp.md).",
  },
  spot: {
    kind: "boolean",
    default: false,
    cloud: "aws",
    description:
      "Run the service on Fargate Spot (up to ~70% cheaper; AWS can reclaim a Spot task with 2 minutes' notice). Dev: every task runs on Spot, so with one task a reclaim is a dev outage until ECS has placed a replacement (usually a minute or two; longer while Spot capacity is short). Prod: the first task always stays on on-demand Fargate (capacity provider base 1) and only the tasks above it run on Spot; prod never runs all-Spot. The scheduled job stays on on-demand Fargate. Cloud Run has no spot capacity: setting true on GCP is an error.",
  },
  jobSchedule: {
    kind: "string",
    default: "15 3 * * *",
    check: cronFinding,
    cloud: "both",
    description:
      "When the scheduled job runs: a 5-field cron (minute hour day-of-month month day-of-week, UTC), e.g. `15 3 * * *`. Translated to EventBridge Scheduler `cron(...)` on AWS and used as-is by Cloud Scheduler on GCP.",
  },
  jobName: {
    kind: "string",
    default: "refresh-category-counts",
    pattern: /^[a-z][a-z0-9-]{0,39}$/,
    patternHint: "a job name the app knows: lowercase letters, digits and hyphens",
    cloud: "both",
    description: "The job the schedule runs (`node dist/cli.js job <name>` in the API image).",
  },
  otelCollector: {
    kind: "boolean",
    default: false,
    cloud: "both",
    description:
      "Run an OpenTelemetry collector as a sidecar of the API: the AWS Distro for OpenTelemetry on AWS (traces to X-Ray, metrics to CloudWatch), Google's OpenTelemetry collector on GCP (traces to Cloud Trace, metrics to Cloud Monitoring). Cost: the sidecar's share of each instance (about 0.25 vCPU/512 MiB) plus X-Ray at $5 per million traces recorded (AWS); Cloud Trace at $0.20 per million spans after 2.5 million free per month (GCP).",
  },
  otelCollectorImage: {
    kind: "string",
    check: imageFinding,
    cloud: "both",
    description:
      "The collector image for the sidecar (optional; default the pinned image the cloud's service component names). In prod, pin it by digest like meridian:image (the policy pack requires it).",
  },
  concurrency: {
    kind: "integer",
    default: 80,
    min: 1,
    max: 1000,
    cloud: "gcp",
    description:
      "Requests one Cloud Run instance serves at once before Cloud Run starts another (the API is async I/O; its pool formula still caps database connections). Cost: higher concurrency means fewer instances for the same traffic.",
  },
  webhooks: {
    kind: "string",
    allowed: ["none", "whatsapp", "telegram", "whatsapp,telegram"],
    default: "none",
    cloud: "both",
    description:
      "Which inbound webhooks the API serves (`/api/webhooks/whatsapp`, `/api/webhooks/telegram`; docs/app-growth.md). For each, the stack generates the token Meridian chooses (WhatsApp verify token, Telegram secret token) and keeps it in Secrets Manager / Secret Manager, injected by reference; WhatsApp also needs meridian:whatsappAppSecret. A webhook not listed answers 404.",
  },
  whatsappAppSecret: {
    kind: "string",
    cloud: "both",
    description:
      "The Meta app secret that signs WhatsApp webhook deliveries (X-Hub-Signature-256). Required when meridian:webhooks includes whatsapp; must be set as a Pulumi secret (`pulumi config set --secret meridian:whatsappAppSecret ...`), which the stack stores in Secrets Manager / Secret Manager for the API.",
  },
} satisfies Record<string, KeyDef>;
