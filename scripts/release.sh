#!/usr/bin/env bash
# Rolls out one image digest to one stack: the commands of docs/runbooks/release.md, in order.
#
#   scripts/release.sh <stack> <aws|gcp> <sha256:digest>
#
# 1. meridian:image = <release.imageRepository>@<digest> (the stack output says where images live);
# 2. the migrate job/task definition alone is updated to that image (pulumi up --target), then run once
#    with the stack output release.migrate.command, which waits and fails unless the migration exited 0;
# 3. pulumi up (the service rolls; ECS circuit breaker / Cloud Run readiness roll back a bad revision);
# 4. smoke test: /health/ready and one real endpoint of apiUrl answer 200 within ~2 minutes.
# Rolling back is the same command with the previous digest (the migration is idempotent).
#
# GCP runs the API on Cloud Run or GKE (meridian:runtime); the script reads which from the stack's state, so
# the cloud argument stays `gcp`. On GKE the migrate resource is the Kubernetes Job `<app>-migrate`: the
# targeted `pulumi up` replaces it and waits for it to complete (the provider's Job await fails the update when
# the Job fails), and release.migrate.command (kubectl wait) confirms it. Before the first release the stack
# has no migrate Job (the placeholder image cannot migrate): the step is skipped and the full `pulumi up`
# creates the Job, which the Deployment waits for.
# Needs: pulumi (logged in, cloud credentials), jq, curl; aws (AWS) or gcloud (GCP) for the migration, and
# kubectl with gke-gcloud-auth-plugin on GKE.
set -euo pipefail

stack="${1:?usage: release.sh <stack> <aws|gcp> <sha256:digest>}"
cloud="${2:?usage: release.sh <stack> <aws|gcp> <sha256:digest>}"
digest="${3:?usage: release.sh <stack> <aws|gcp> <sha256:digest>}"

[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "release.sh: digest must be sha256:<64 hex digits>, got '$digest'" >&2; exit 2; }
case "$cloud" in
  aws) migrate_type="aws:ecs/taskDefinition:TaskDefinition"; migrate_suffix="-migrate-task" ;;
  gcp) migrate_type="gcp:cloudrunv2/job:Job"; migrate_suffix="-jobs-migrate" ;;
  *) echo "release.sh: cloud must be aws or gcp (on GCP the runtime, cloudrun or gke, is read from the stack), got '$cloud'" >&2; exit 2 ;;
esac

log() { printf '==> %s\n' "$*" >&2; }

pulumi stack select "$stack"
repository=$(pulumi stack output release --json | jq -er .imageRepository)
image="$repository@$digest"
log "$stack: meridian:image = $image"
pulumi config set meridian:image "$image" --stack "$stack"

state=$(pulumi stack export --stack "$stack")
# GKE: the stack's state holds the workload's Deployment (kubernetes:apps/v1), and the migrate Job may not exist yet.
min_count=1
if [[ "$cloud" == gcp ]] &&
  jq -e '[.deployment.resources[] | select(.type == "kubernetes:apps/v1:Deployment")] | length > 0' <<<"$state" >/dev/null; then
  migrate_type="kubernetes:batch/v1:Job"; migrate_suffix="-migrate"; min_count=0
  log "$stack: GCP runtime gke (the state holds a Kubernetes Deployment)"
fi
migrate_urn=$(jq -er --arg t "$migrate_type" --arg s "$migrate_suffix" --argjson min "$min_count" \
  '[.deployment.resources[] | select(.type == $t and (.urn | endswith($s))) | .urn]
   | if length == 1 then .[0] elif length == 0 and $min == 0 then "" else error("expected one migrate resource, found \(length)") end' <<<"$state")
if [[ -n "$migrate_urn" ]]; then
  log "$stack: update the migrate job only ($migrate_urn)"
  pulumi up --yes --skip-preview --stack "$stack" --target "$migrate_urn"

  log "$stack: run the migration once and wait"
  migrate_command=$(pulumi stack output release --json --stack "$stack" | jq -er .migrate.command)
  bash -c "$migrate_command"
else
  log "$stack: no migrate Job yet (first release): pulumi up creates it and the Deployment waits for it"
fi

log "$stack: roll out"
pulumi up --yes --stack "$stack"

api=$(pulumi stack output apiUrl --stack "$stack")
log "$stack: smoke test $api"
curl -fsS --retry 12 --retry-delay 10 --retry-all-errors --max-time 10 "$api/health/ready" >/dev/null
curl -fsS --retry 3 --retry-delay 5 --retry-all-errors --max-time 10 "$api/api/businesses?limit=1" | jq -e '.items | type == "array"' >/dev/null
log "$stack: $image is live"
