/** Offline AWS models: Load balancers, listeners and rules, Route 53, ACM certificates, CloudFront, WAF, security group rules. */
import { alnumUpper, autoName, hex, str, uuid } from "../context";
import { type Model, sgRule } from "./shared";

export const NETWORK_MODELS: Record<string, Model> = {
  "aws:lb/loadBalancer:LoadBalancer": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 32 });
    const kind = call.inputs.loadBalancerType === "network" ? "net" : "app";
    const arn = ctx.arn("elasticloadbalancing", `loadbalancer/${kind}/${name}/${hex(ctx.seed, 16)}`);
    const internal = call.inputs.internal === true ? "internal-" : "";
    return {
      id: arn,
      out: {
        name,
        arn,
        arnSuffix: arn.split(":loadbalancer/")[1],
        dnsName: `${internal}${name}-${parseInt(hex(ctx.seed, 8), 16) % 2000000000}.${ctx.region}.elb.amazonaws.com`,
        zoneId: "Z35SXDOTRQ7X7K",
      },
    };
  },
  "aws:lb/targetGroup:TargetGroup": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 32 });
    const arn = ctx.arn("elasticloadbalancing", `targetgroup/${name}/${hex(ctx.seed, 16)}`);
    return { id: arn, out: { name, arn, arnSuffix: arn.split(":")[5] } };
  },
  "aws:lb/listener:Listener": (_call, ctx) => {
    const arn = ctx.arn(
      "elasticloadbalancing",
      `listener/app/lb/${hex(ctx.seed, 16)}/${hex(`${ctx.seed}/l`, 16)}`,
    );
    return { id: arn, out: { arn } };
  },
  "aws:acm/certificate:Certificate": (call, ctx) => {
    const arn = ctx.arn("acm", `certificate/${uuid(ctx.seed)}`);
    const domain = str(call.inputs, "domainName") ?? "example.com";
    const sans = Array.isArray(call.inputs.subjectAlternativeNames)
      ? call.inputs.subjectAlternativeNames
      : [];
    const names = [domain, ...sans.filter((s): s is string => typeof s === "string" && s !== domain)];
    return {
      id: arn,
      out: {
        arn,
        status: "PENDING_VALIDATION",
        domainValidationOptions: names.map((n) => ({
          domainName: n,
          resourceRecordName: `_${hex(`${ctx.seed}/${n}`, 32)}.${n.replace(/^\*\./, "")}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_${hex(`${ctx.seed}/${n}/v`, 32)}.acm-validations.aws.`,
        })),
      },
    };
  },
  "aws:cloudfront/distribution:Distribution": (_call, ctx) => {
    const id = `E${alnumUpper(ctx.seed, 13)}`;
    return {
      id,
      out: {
        arn: ctx.arn("cloudfront", `distribution/${id}`, { global: true }),
        domainName: `d${hex(ctx.seed, 13)}.cloudfront.net`,
        hostedZoneId: "Z2FDTNDATAQYW2",
        status: "Deployed",
        etag: `E${alnumUpper(`${ctx.seed}/etag`, 13)}`,
      },
    };
  },
  "aws:wafv2/webAcl:WebAcl": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call);
    const scope = call.inputs.scope === "CLOUDFRONT" ? "global" : "regional";
    const id = uuid(ctx.seed);
    const region = scope === "global" ? "us-east-1" : ctx.region;
    return {
      id,
      out: { name, arn: `arn:aws:wafv2:${region}:${ctx.account}:${scope}/webacl/${name}/${id}`, capacity: 0 },
    };
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": sgRule,
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": sgRule,
  "aws:lb/listenerRule:ListenerRule": (_call, ctx) => {
    const arn = ctx.arn(
      "elasticloadbalancing",
      `listener-rule/app/lb/${hex(ctx.seed, 16)}/${hex(`${ctx.seed}/l`, 16)}/${hex(`${ctx.seed}/r`, 16)}`,
    );
    return { id: arn, out: { arn } };
  },
  "aws:acm/certificateValidation:CertificateValidation": (call) => ({
    id: str(call.inputs, "certificateArn") ?? call.name,
    out: {},
  }),
  "aws:route53/record:Record": (call) => {
    const name = str(call.inputs, "name") ?? call.name;
    return {
      id: `${str(call.inputs, "zoneId") ?? "Z"}_${name}_${str(call.inputs, "type") ?? "A"}`,
      out: { fqdn: name },
    };
  },
  "aws:wafv2/webAclAssociation:WebAclAssociation": (call) => ({
    id: `${str(call.inputs, "webAclArn") ?? "acl"},${str(call.inputs, "resourceArn") ?? call.name}`,
    out: {},
  }),
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": (call) => ({
    id: str(call.inputs, "resourceArn") ?? call.name,
    out: {},
  }),
  "aws:cloudfront/originAccessControl:OriginAccessControl": (_call, ctx) => ({
    id: `E${alnumUpper(ctx.seed, 13)}`,
    out: { etag: `E${alnumUpper(`${ctx.seed}/etag`, 13)}` },
  }),
  "aws:cloudfront/function:Function": (call, ctx) => {
    const name = str(call.inputs, "name") ?? autoName(call, { maxLength: 64 });
    return {
      id: name,
      out: {
        arn: ctx.arn("cloudfront", `function/${name}`, { global: true }),
        etag: `E${alnumUpper(`${ctx.seed}/etag`, 13)}`,
        liveStageEtag: `E${alnumUpper(`${ctx.seed}/live`, 13)}`,
        status: "UNASSOCIATED",
      },
    };
  },
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": (_call, ctx) => ({
    id: uuid(ctx.seed),
    out: { etag: `E${alnumUpper(`${ctx.seed}/etag`, 13)}` },
  }),
  "aws:route53/zone:Zone": (call) => {
    const id = `Z${alnumUpper(call.name, 20)}`;
    return {
      id,
      out: { zoneId: id, nameServers: [1, 2, 3, 4].map((i) => `ns-${i * 311}.awsdns-${i}.example.`) },
    };
  },
};
