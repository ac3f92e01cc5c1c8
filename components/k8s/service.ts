/**
 * The API's Service: ClusterIP only (the load balancer reaches the Pods through NEGs from the Gateway, so
 * no `LoadBalancer` or `NodePort` Service exists).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../shared/transform";
import { API_CONTAINER, API_PORT, apiSelector, standardLabels } from "./common";

/** The Service's port (the Gateway's HTTPRoute targets it). */
export const SERVICE_PORT = 80;

export function createService(
  name: string,
  args: {
    namespace: pulumi.Input<string>;
    serviceName: string;
    app: string;
    annotations?: Record<string, pulumi.Input<string>>;
    labels?: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<k8s.core.v1.ServiceArgs>,
): k8s.core.v1.Service {
  return new k8s.core.v1.Service(
    ...applyTransform(
      transform,
      name,
      {
        metadata: {
          name: args.serviceName,
          namespace: args.namespace,
          labels: standardLabels(args.app, "api", args.labels),
          annotations: args.annotations ?? {},
        },
        spec: {
          type: "ClusterIP",
          selector: apiSelector(args.app),
          ports: [{ name: API_CONTAINER, port: SERVICE_PORT, targetPort: API_PORT, protocol: "TCP" }],
        },
      },
      opts,
    ),
  );
}
