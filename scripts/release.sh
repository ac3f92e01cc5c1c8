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
# Needs: pulumi (logged in, cloud credentials), jq, curl; aws (AWS) or gcloud (GCP) for the migration.
set -euo pipefail

stack="${1:?usage: release.sh <stack> <aws|gcp> <sha256:digest>}"
cloud="${2:?usage: release.sh <stack> <aws|gcp> <sha256:digest>}"
digest="${3:?usage: release.sh <stack> <aws|gcp> <sha256:digest>}"

[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "release.sh: digest must be sha256:<64 hex digits>, got '$digest'" >&2; exit 2; }
case "$cloud" in
  aws) migrate_type="aws:ecs/taskDefinition:TaskDefinition"; migrate_suffix="-migrate-task" ;;
  gcp) migrate_type="gcp:cloudrunv2/job:Job"; migrate_suffix="-jobs-migrate" ;;
  *) echo "release.sh: cloud must be aws or gcp, got '$cloud'" >&2; exit 2 ;;
esac

log() { printf '==> %s\n' "$*" >&2; }

pulumi stack select "$stack"
repository=$(pulumi stack output release --json | jq -er .imageRepository)
image="$repository@$digest"
log "$stack: meridian:image = $image"
pulumi config set meridian:image "$image" --stack "$stack"

migrate_urn=$(pulumi stack export --stack "$stack" |
  jq -er --arg t "$migrate_type" --arg s "$migrate_suffix" \
    '[.deployment.resources[] | select(.type == $t and (.urn | endswith($s))) | .urn] | if length == 1 then .[0] else error("expected one migrate resource, found \(length)") end')
log "$stack: update the migrate job only ($migrate_urn)"
pulumi up --yes --skip-preview --stack "$stack" --target "$migrate_urn"

log "$stack: run the migration once and wait"
migrate_command=$(pulumi stack output release --json --stack "$stack" | jq -er .migrate.command)
bash -c "$migrate_command"

log "$stack: roll out"
pulumi up --yes --stack "$stack"

api=$(pulumi stack output apiUrl --stack "$stack")
log "$stack: smoke test $api"
curl -fsS --retry 12 --retry-delay 10 --retry-all-errors --max-time 10 "$api/health/ready" >/dev/null
curl -fsS --retry 3 --retry-delay 5 --retry-all-errors --max-time 10 "$api/api/businesses?limit=1" | jq -e '.items | type == "array"' >/dev/null
log "$stack: $image is live"
