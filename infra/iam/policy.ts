/**
 * A policy document as the proof reads it from a preview graph: parsed from the JSON string a resource
 * input holds, refusing anything the preview does not know.
 */
/** A policy document as AWS reads it (`Version`, `Statement`). */
export type PolicyDocument = { Version?: string; Statement: unknown };

/** Parses a policy input (a JSON string or an object); throws naming `where` when it is neither. */
export function parsePolicy(value: unknown, where: string): PolicyDocument {
  if (JSON.stringify(value ?? null).includes("[unknown]"))
    throw new Error(
      `${where}: the policy holds values unknown in this preview; the proof cannot decide on them`,
    );
  const doc = typeof value === "string" ? safeParse(value, where) : value;
  if (!doc || typeof doc !== "object" || !("Statement" in doc))
    throw new Error(`${where}: not a policy document (a JSON object with Statement): ${String(value)}`);
  return doc as PolicyDocument;
}

function safeParse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${where}: the policy is not JSON (unknown in this preview?): ${text.slice(0, 120)}`);
  }
}
