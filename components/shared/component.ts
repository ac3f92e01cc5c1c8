/**
 * What every Meridian component gives its children: the parent option and the standard tags plus a
 * `Name`. One helper instead of the same two closures in every constructor.
 */
import * as pulumi from "@pulumi/pulumi";
import { Tags, withName } from "./tags";

export interface ChildKit {
  /** Options for a child: parented to the component, plus `extra` (dependsOn, provider, ...). */
  childOpts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
  /** The component's tags with `Name` set to the child's logical name, plus `extra` (e.g. `tier`). */
  tagsFor(logicalName: string, extra?: Tags): Tags;
}

/** Builds the {@link ChildKit} of a component (call it after `super(...)`). */
export function childKit(parent: pulumi.Resource, tags: Tags): ChildKit {
  return {
    childOpts: (extra = {}) => ({ parent, ...extra }),
    tagsFor: (logicalName, extra = {}) => ({ ...withName(tags, logicalName), ...extra }),
  };
}
