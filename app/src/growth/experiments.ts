/**
 * Experiments and stable variant assignment.
 *
 * Experiments are defined in code (this file), reviewed and versioned with the app: a change of weights is a
 * deploy, never a silent table edit that would reshuffle running visitors. A visitor's variant is a pure
 * function of (experiment key, visitor id): the first 8 bytes of SHA-256(`<key>:<visitorId>`) as an unsigned
 * 64-bit integer divided by 2⁶⁴ give a uniform bucket u ∈ [0, 1); the variants' weights are laid end to end
 * over [0, 1) in declaration order and u picks one. The same visitor always gets the same variant, on every
 * instance, with no storage; different experiments hash independently.
 */
import { createHash } from "node:crypto";

export interface Variant {
  /** Lowercase key `[a-z0-9_]{1,64}` sent back by clients as `variantKey`. */
  key: string;
  /** Relative weight (positive integer); the share is weight / sum of weights. */
  weight: number;
}

export interface Experiment {
  key: string;
  description: string;
  /** The first variant is the control arm of the A/B comparison. */
  variants: readonly Variant[];
  /** Event types that count as a conversion (per exposed visitor, at most once). */
  conversionTypes: readonly string[];
}

/** Every experiment the API knows. */
export const EXPERIMENTS: Readonly<Record<string, Experiment>> = {
  business_contact_button: {
    key: "business_contact_button",
    description:
      "Which contact button a business page shows first: the phone call button (control) or a WhatsApp button.",
    variants: [
      { key: "call_button", weight: 50 },
      { key: "whatsapp_button", weight: 50 },
    ],
    conversionTypes: ["CONTACT_CLICK", "WHATSAPP_CLICK"],
  },
};

/** The experiment with this key, or undefined. */
export function findExperiment(key: string): Experiment | undefined {
  return Object.prototype.hasOwnProperty.call(EXPERIMENTS, key) ? EXPERIMENTS[key] : undefined;
}

/** The uniform bucket u ∈ [0, 1) of a visitor in an experiment (see the module comment). */
export function bucket(experimentKey: string, visitorId: string): number {
  const digest = createHash("sha256").update(`${experimentKey}:${visitorId}`).digest();
  return Number(digest.readBigUInt64BE(0)) / 2 ** 64;
}

/** The variant a visitor gets in an experiment: stable, weighted, independent across experiments. */
export function assignVariant(experiment: Experiment, visitorId: string): Variant {
  const total = experiment.variants.reduce((s, v) => s + v.weight, 0);
  const point = bucket(experiment.key, visitorId) * total;
  let edge = 0;
  for (const v of experiment.variants) {
    edge += v.weight;
    if (point < edge) return v;
  }
  return experiment.variants[experiment.variants.length - 1];
}
