/**
 * The AWS network's VPC endpoints: the free S3 gateway endpoint on every route table (S3 traffic never
 * crosses a NAT) and optional interface endpoints (PrivateLink) in the private subnets, with private DNS,
 * sharing one security group that allows HTTPS from the VPC only. The service-name check is pure
 * ({@link validateInterfaceEndpoints}). Tested in vpcEndpoints.mock.test.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { asciiDescription, physicalName } from "../shared/naming";
import { applyTransform, Transform } from "../shared/transform";
import { show } from "../shared/validate";
import type { PartKit } from "./partKit";
import type { PlannedSubnet, RouteTables } from "./subnets";

/** Per-child `transform` hooks of the VPC endpoints. */
export interface EndpointTransforms {
  s3Endpoint?: Transform<aws.ec2.VpcEndpointArgs>;
  /** Every interface endpoint; the function form receives the logical name (`<name>-vpce-ecr-api`). */
  interfaceEndpoint?: Transform<aws.ec2.VpcEndpointArgs>;
  /** The security group of the interface endpoints. */
  endpointSecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
}

/** What the endpoint builders need from the Network component. */
export type EndpointKit = PartKit<EndpointTransforms>;

/** Validates interface endpoint service names: short names (`ecr.api`), distinct, not `s3` (gateway already). */
export function validateInterfaceEndpoints(endpoints: unknown): string[] {
  const list = endpoints ?? [];
  if (!Array.isArray(list)) {
    throw new Error(
      `interfaceEndpoints is ${show(list)}; allowed: a list of service names such as ["ecr.api", "logs"]`,
    );
  }
  for (const e of list) {
    if (typeof e !== "string" || !/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(e) || e.startsWith("com.")) {
      throw new Error(
        `interfaceEndpoints contains ${show(e)}; allowed: short AWS service names such as "ecr.api", "ecr.dkr", ` +
          `"logs", "secretsmanager", "sts" (without "com.amazonaws.<region>.")`,
      );
    }
    if (e === "s3") {
      throw new Error(
        `interfaceEndpoints contains "s3"; S3 is already reached through the VPC's S3 gateway endpoint (free)`,
      );
    }
  }
  const dup = list.find((e, i) => list.indexOf(e) !== i);
  if (dup !== undefined) throw new Error(`interfaceEndpoints lists ${show(dup)} twice`);
  return [...list];
}

/** The logical-name slug of an interface endpoint service (`ecr.api` -> `ecr-api`). */
export function endpointSlug(service: string): string {
  return service.replace(/\./g, "-");
}

/** The S3 gateway endpoint (free) on every route table: S3 traffic never crosses a NAT. */
export function createS3Endpoint(
  kit: EndpointKit,
  vpc: aws.ec2.Vpc,
  rts: RouteTables,
  region: pulumi.Output<string>,
): aws.ec2.VpcEndpoint {
  const name = `${kit.name}-s3`;
  return new aws.ec2.VpcEndpoint(
    ...applyTransform(
      kit.t.s3Endpoint,
      name,
      {
        vpcId: vpc.id,
        serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [rts.public.id, ...rts.private.map((rt) => rt.id), rts.isolated.id],
        tags: kit.tagsFor(name),
      },
      kit.childOpts(),
    ),
  );
}

/**
 * Interface endpoints for `services` in the private subnets, sharing a security group that allows 443 from
 * `vpcCidr` only. None (and no security group) when `services` is empty.
 */
export function createInterfaceEndpoints(
  kit: EndpointKit,
  vpc: aws.ec2.Vpc,
  vpcCidr: string,
  services: string[],
  privateSubnets: PlannedSubnet[],
  region: pulumi.Output<string>,
): aws.ec2.VpcEndpoint[] {
  if (services.length === 0) return [];
  const sgName = `${kit.name}-vpce-sg`;
  const sg = new aws.ec2.SecurityGroup(
    ...applyTransform(
      kit.t.endpointSecurityGroup,
      sgName,
      {
        vpcId: vpc.id,
        name: physicalName("aws:securityGroup", kit.name, "vpc-endpoints"),
        description: asciiDescription(`HTTPS from the VPC to the interface endpoints of ${kit.name}`),
        ingress: [
          {
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [vpcCidr],
            description: "HTTPS from the VPC",
          },
        ],
        egress: [],
        tags: kit.tagsFor(sgName),
      },
      kit.childOpts(),
    ),
  );
  return services.map((service) => {
    const name = `${kit.name}-vpce-${endpointSlug(service)}`;
    return new aws.ec2.VpcEndpoint(
      ...applyTransform(
        kit.t.interfaceEndpoint,
        name,
        {
          vpcId: vpc.id,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((s) => s.subnet.id),
          securityGroupIds: [sg.id],
          tags: kit.tagsFor(name),
        },
        kit.childOpts(),
      ),
    );
  });
}
