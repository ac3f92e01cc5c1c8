/** RDS / Aurora engine versions that RDS accepts for new instances, and parameter groups of their family. */
import { stackRule } from "../../lib/rule";
import { rdsFamilyFor, rdsVersionProblem } from "../../lib/rdsVersions";
import { peek } from "../../lib/util";

const RDS_INSTANCE = "aws:rds/instance:Instance";
const RDS_CLUSTER = "aws:rds/cluster:Cluster";
const PARAM_GROUPS: Record<string, [string, string]> = {
  [RDS_INSTANCE]: ["parameterGroupName", "aws:rds/parameterGroup:ParameterGroup"],
  [RDS_CLUSTER]: ["dbClusterParameterGroupName", "aws:rds/clusterParameterGroup:ClusterParameterGroup"],
};

export const rdsEngineVersion = stackRule({
  id: "aws-rds-engine-version",
  description:
    "RDS instances and Aurora clusters use an engine version that accepts new instances, with a parameter group of that version's family.",
  severity: "high",
  enforcement: "mandatory",
  cloud: "aws",
  area: "deploy-safety",
  remediation:
    'Meridian: the Database component (components/aws/database.ts) pins a supported minor per major; leave `engineFullVersion` unset or pick one the table in policies/lib/rdsVersions.ts accepts. Raw: `engineVersion` of a current minor (e.g. "16.11") or the bare major ("16"), and a parameter group whose `family` is that major\'s (`postgres16`).',
  references: [],
  types: [RDS_INSTANCE, RDS_CLUSTER],
  check(r, report, ctx) {
    if (r.type === RDS_INSTANCE && peek(r.props, "clusterIdentifier")) return; // the cluster's version
    const engine = String(r.props.engine ?? "");
    const version = r.props.engineVersion;
    if (typeof version !== "string" || version === "") return; // RDS picks its default version
    const problem = rdsVersionProblem(engine, version);
    if (problem) report(`engineVersion: ${problem}.`);
    const [prop, pgType] = PARAM_GROUPS[r.type];
    const want = rdsFamilyFor(engine, version);
    if (!want) return;
    const byDep = (r.propertyDependencies[prop] ?? []).filter((d) => d.type === pgType);
    const name = peek(r.props, prop);
    const groups = byDep.length
      ? byDep
      : ctx.ofType(pgType).filter((g) => typeof name === "string" && peek(g.props, "name") === name);
    for (const g of groups) {
      const family = g.props.family;
      if (typeof family === "string" && family !== want)
        report(`${prop} ${g.name} has family ${family}; engine ${engine} ${version} needs ${want}.`);
    }
  },
});
