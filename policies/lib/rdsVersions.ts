/**
 * RDS engine versions that accept new instances: one table shared by the pack's `aws-rds-engine-version`
 * rule and Meridian's Database component (components/aws/database.ts imports it), so both refuse the same
 * versions. Pure data and functions, no imports: the pack stays self-contained.
 *
 * Source: the RDS for PostgreSQL deprecation notice the Database component documents — 16.5-16.8 and
 * 17.1-17.4 deprecated on 2026-05-31, no new instances from 2026-05-01 (earlier minors were deprecated
 * before). A major that is not in the table is not judged (the rule says nothing rather than guessing).
 */

export interface EngineMajor {
  /** The lowest minor of this major that still accepts new instances. */
  minMinor: number;
  /** The minor Meridian pins by default (what the Database component deploys). */
  pinned: number;
  /** Parameter group family for this major (`postgres16`). */
  family: string;
}

/** Per engine (the `engine` property of aws.rds.Instance), per major version. */
export const RDS_ENGINE_VERSIONS: Record<string, Record<string, EngineMajor>> = {
  postgres: {
    "16": { minMinor: 9, pinned: 11, family: "postgres16" },
    "17": { minMinor: 5, pinned: 7, family: "postgres17" },
  },
};

/** Parameter group family prefix per engine, for the family check (`aurora-postgresql16`). */
export const RDS_FAMILY_PREFIX: Record<string, string> = {
  postgres: "postgres",
  "aurora-postgresql": "aurora-postgresql",
};

/**
 * Why a full engine version cannot take new instances, or undefined when it can (or when the table does
 * not know the engine/major: no verdict without data).
 */
export function rdsVersionProblem(engine: string, version: string): string | undefined {
  const majors = RDS_ENGINE_VERSIONS[engine];
  if (!majors) return undefined;
  const m = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) return `engine version "${version}" is not "<major>" or "<major>.<minor>"`;
  const row = majors[m[1]];
  if (!row || m[2] === undefined) return undefined; // a bare major: RDS picks its default minor
  if (Number(m[2]) < row.minMinor)
    return `${engine} ${version} accepts no new instances (deprecated); allowed: ${m[1]}.${row.minMinor} or later, such as ${m[1]}.${row.pinned}`;
  return undefined;
}

/** The parameter group family an engine version needs (`postgres16`), or undefined when unknown. */
export function rdsFamilyFor(engine: string, version: string): string | undefined {
  const prefix = RDS_FAMILY_PREFIX[engine];
  const major = /^(\d+)/.exec(version)?.[1];
  return prefix && major ? `${prefix}${major}` : undefined;
}
