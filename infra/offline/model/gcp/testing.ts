/**
 * Shared fixtures of the GCP model's tests (gcp/*.test.ts): the test project, its placeholder number, a
 * model environment that records notes, and `model()` to run one resource's model. Not a model module
 * (index.ts does not load it).
 */
import { modelResource, ModelEnv, ModelNote } from "../index";

export const PROJECT = "meridian-test-1234";
export const NUMBER = "100000000001";

export function env(): ModelEnv & { notes: ModelNote[] } {
  const notes: ModelNote[] = [];
  return {
    config: { "gcp:project": PROJECT, "gcp:region": "us-central1" },
    providerInputs: () => undefined,
    note: (n) => notes.push(n),
    notes,
  };
}

/** Models one resource; returns its id, state, computed names and the notes it left. */
export function model(type: string, inputs: Record<string, unknown>, name = "r") {
  const e = env();
  const r = modelResource({ type, name, inputs, custom: true }, e);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- model state, read by tests
  return { ...r, s: r.state as Record<string, any>, notes: e.notes.map((n) => n.message) };
}
