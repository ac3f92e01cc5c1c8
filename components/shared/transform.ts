/**
 * The `transform` escape hatch every Meridian component offers (after SST's `transform`): patch the
 * args or options of any child resource without forking the component.
 *
 * A transform is either a partial args object, merged shallowly over the component's args, or a function
 * that edits the args and options in place.
 *
 * @example
 * new Network("net", {
 *   ...,
 *   transform: {
 *     vpc: { enableNetworkAddressUsageMetrics: true },
 *     flowLog: (args) => { args.maxAggregationInterval = 60; },
 *   },
 * });
 */
import * as pulumi from "@pulumi/pulumi";

/** Patches one child's args: a partial object merged over them, or a function that edits them in place. */
export type Transform<Args> =
  Partial<Args> | ((args: Args, opts: pulumi.CustomResourceOptions, name: string) => void);

/**
 * Applies a transform to a child's args and options and returns them, ready for the resource constructor.
 * The component's own args are copied first, so a transform never mutates shared objects.
 */
export function applyTransform<Args extends object>(
  transform: Transform<Args> | undefined,
  name: string,
  args: Args,
  opts: pulumi.CustomResourceOptions,
): [string, Args, pulumi.CustomResourceOptions] {
  const a = { ...args };
  const o = { ...opts };
  if (transform === undefined) return [name, a, o];
  if (typeof transform === "function") {
    transform(a, o, name);
    return [name, a, o];
  }
  return [name, { ...a, ...transform }, o];
}
