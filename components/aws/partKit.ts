/**
 * What an AWS component hands the modules that build its children (`createSubnets(kit, ...)`,
 * `createProxy(kit, ...)`): the {@link ChildKit} (parent option, tags with `Name`), the component itself,
 * its name and its per-child `transform` hooks. One type instead of one per building block.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ChildKit } from "../shared/component";

/** A component's {@link ChildKit} plus the component, its name and the transforms of type `T`. */
export interface PartKit<T> extends ChildKit {
  /** The component: parent of every child and of every data-source lookup. */
  parent: pulumi.Resource;
  /** The component's name; children's logical names start with it. */
  name: string;
  /** The component's per-child transforms (`args.transform`, or `{}`). */
  t: T;
}
