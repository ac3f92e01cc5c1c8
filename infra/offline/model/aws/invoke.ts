/** Data sources (invokes) the offline AWS model answers, and the IAM policy document renderer. */
import { type ModelEnv, OFFLINE_AWS_ACCOUNT, alnumUpper, hex, str } from "../context";
import { awsZones, regionFrom, zoneId } from "./shared";

/** Data-source calls (invokes) the AWS model answers. Returns undefined when it has no model. */
export function awsInvoke(
  token: string,
  args: Record<string, unknown>,
  env: ModelEnv,
  provider: Record<string, unknown> = {},
): Record<string, unknown> | undefined {
  const region = regionFrom(args, provider, env);
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      const names = awsZones(region);
      return {
        id: region,
        names,
        zoneIds: names.map(zoneId),
        groupNames: names.map(() => region),
        state: "available",
      };
    }
    case "aws:index/getCallerIdentity:getCallerIdentity":
      env.note({
        level: "info",
        message: `aws account id is the offline placeholder ${OFFLINE_AWS_ACCOUNT}`,
      });
      return {
        id: OFFLINE_AWS_ACCOUNT,
        accountId: OFFLINE_AWS_ACCOUNT,
        arn: `arn:aws:sts::${OFFLINE_AWS_ACCOUNT}:assumed-role/offline-preview/meridian`,
        userId: `AROA${alnumUpper("caller", 17)}:meridian`,
      };
    case "aws:index/getRegion:getRegion":
      return {
        id: region,
        name: region,
        region,
        description: region,
        endpoint: `ec2.${region}.amazonaws.com`,
      };
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:ec2/getAmi:getAmi":
      return {
        id: `ami-0${hex(JSON.stringify(args), 16)}`,
        architecture: "x86_64",
        name: "offline-placeholder-ami",
        imageId: `ami-0${hex(JSON.stringify(args), 16)}`,
      };
    case "aws:iam/getPolicyDocument:getPolicyDocument": {
      const json = renderPolicyDocument(args);
      return { id: hex(json, 10), json, minifiedJson: JSON.stringify(JSON.parse(json)) };
    }
    case "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
      const name = str(args, "name") ?? "prefix-list";
      // The real id differs per region and is looked up at deploy time.
      const id = `pl-${hex(`${region}/${name}`, 8)}`;
      return {
        id,
        name,
        arn: `arn:aws:ec2:${region}:aws:prefix-list/${id}`,
        addressFamily: "IPv4",
        maxEntries: 55,
        ownerId: "AWS",
        entries: [],
      };
    }
    case "aws:elb/getServiceAccount:getServiceAccount":
      return { id: "127311923021", arn: "arn:aws:iam::127311923021:root" };
  }
  return undefined;
}

interface PolicyStatementArgs {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  notPrincipals?: { type: string; identifiers: string[] }[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** Renders `aws.iam.getPolicyDocument` args to the JSON the provider would produce. */
export function renderPolicyDocument(args: Record<string, unknown>): string {
  const statements = (args.statements as PolicyStatementArgs[] | undefined) ?? [];
  const one = (v: string[]) => (v.length === 1 ? v[0] : v);
  const principals = (ps: { type: string; identifiers: string[] }[]) => {
    const out: Record<string, string | string[]> = {};
    for (const p of ps) {
      if (p.type === "*") return "*";
      out[p.type] = one(p.identifiers);
    }
    return out;
  };
  const doc = {
    Version: (args.version as string | undefined) ?? "2012-10-17",
    Statement: statements.map((s) => {
      const st: Record<string, unknown> = {};
      if (s.sid) st.Sid = s.sid;
      st.Effect = s.effect ?? "Allow";
      if (s.actions?.length) st.Action = one(s.actions);
      if (s.notActions?.length) st.NotAction = one(s.notActions);
      if (s.resources?.length) st.Resource = one(s.resources);
      if (s.notResources?.length) st.NotResource = one(s.notResources);
      if (s.principals?.length) st.Principal = principals(s.principals);
      if (s.notPrincipals?.length) st.NotPrincipal = principals(s.notPrincipals);
      if (s.conditions?.length) {
        const cond: Record<string, Record<string, string | string[]>> = {};
        for (const c of s.conditions) (cond[c.test] ??= {})[c.variable] = one(c.values);
        st.Condition = cond;
      }
      return st;
    }),
  };
  return JSON.stringify(doc, null, 2);
}
