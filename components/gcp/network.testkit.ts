/**
 * What the GCP Network's mock suites share (network, subnet/NAT/range children, firewall, serverless
 * egress, settings): the resource types, the test project, and {@link networkSuite}, which starts the
 * offline runtime for one test file and builds Networks in it. Not a test file itself.
 */
import { componentSuite } from "../../infra/offline/testing";
import type * as NetworkModule from "./network";

export const T = {
  service: "gcp:projects/service:Service",
  network: "gcp:compute/network:Network",
  subnet: "gcp:compute/subnetwork:Subnetwork",
  router: "gcp:compute/router:Router",
  nat: "gcp:compute/routerNat:RouterNat",
  range: "gcp:compute/globalAddress:GlobalAddress",
  connection: "gcp:servicenetworking/connection:Connection",
  connector: "gcp:vpcaccess/connector:Connector",
  firewall: "gcp:compute/firewall:Firewall",
} as const;

export const PROJECT = "meridian-test-123";
export const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export type Args = Partial<NetworkModule.NetworkArgs>;

/** Starts the offline runtime for this test file (a root `before` hook) and loads ./network after it. */
export function networkSuite() {
  // Import the component only after the mocks are in place.
  const suite = componentSuite({
    load: () => import("./network"),
    config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
  });

  /** Creates a Network, waits for every registration, and indexes its children. */
  async function build(name: string, args: Args = {}) {
    const c = await suite.capture(
      new suite.mod.Network(name, { project: PROJECT, region: "us-central1", ...args }),
    );
    return { ...c, net: c.component };
  }

  /** The network most tests read: `net-default`, every default, two labels. */
  const buildDefault = () => build("net-default", { labels: { team: "platform", env: "test" } });
  return { suite, build, buildDefault };
}

export type Built = Awaited<ReturnType<ReturnType<typeof networkSuite>["build"]>>;
