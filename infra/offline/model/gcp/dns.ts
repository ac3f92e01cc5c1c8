/**
 * Cloud DNS: managed zones (public zones get a Google name-server set, private zones answer from the
 * VPC's metadata server, `ns-gcp-private.googledomains.com.`) and record sets.
 */
import { hex, str } from "../context";
import { CREATED, Model, numericId } from "./shared";

export const DNS_MODELS: Record<string, Model> = {
  "gcp:dns/managedZone:ManagedZone": (call, ctx) => {
    const shard = "abcde"[parseInt(hex(ctx.seed, 2), 16) % 5];
    const nameServers =
      call.inputs.visibility === "private"
        ? ["ns-gcp-private.googledomains.com."]
        : [1, 2, 3, 4].map((i) => `ns-cloud-${shard}${i}.googledomains.com.`);
    ctx.placeholder("assignedId");
    return {
      id: `projects/${ctx.project}/managedZones/${ctx.name}`,
      out: { name: ctx.name, managedZoneId: numericId(ctx.seed, 19), nameServers, creationTime: CREATED },
    };
  },
  "gcp:dns/recordSet:RecordSet": (call, ctx) => {
    const zone = (str(call.inputs, "managedZone") ?? "zone").split("/").pop();
    return {
      id: `projects/${ctx.project}/managedZones/${zone}/rrsets/${str(call.inputs, "name") ?? call.name}/${str(call.inputs, "type") ?? "A"}`,
      out: {},
    };
  },
};
