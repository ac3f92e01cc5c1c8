/**
 * Statistics for the A/B comparison: a two-proportion comparison of conversion rates.
 *
 * For a control arm (c₁ conversions of n₁ exposures) and a treatment arm (c₂ of n₂), p̂ᵢ = cᵢ / nᵢ:
 *
 * - difference  d = p̂₂ − p̂₁ (treatment minus control, as a fraction, not percentage points)
 * - 95% confidence interval (Wald, unpooled): d ± 1.959964 · √(p̂₁(1−p̂₁)/n₁ + p̂₂(1−p̂₂)/n₂)
 * - z-test of H₀: p₁ = p₂ with the pooled rate p̂ = (c₁+c₂)/(n₁+n₂):
 *   z = d / √(p̂(1−p̂)(1/n₁ + 1/n₂)), two-sided p-value = 2 · (1 − Φ(|z|))
 *
 * The normal approximation needs roughly nᵢp̂ᵢ ≥ 5 and nᵢ(1−p̂ᵢ) ≥ 5 in each arm; `reliable` says whether that
 * holds. With an empty arm, or no variance at all (all or none converted), the statistics are `null`.
 */

/** The 0.975 quantile of the standard normal distribution (two-sided 95%). */
export const Z_95 = 1.959963984540054;

/**
 * The complementary error function erfc(x), fractional error < 1.2e-7 everywhere (Chebyshev fit; W. H. Press
 * et al., Numerical Recipes, 2nd ed., §6.2 `erfcc`).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Φ(z), the standard normal cumulative distribution function. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export interface Arm {
  /** Distinct visitors exposed to the variant. */
  exposures: number;
  /** Distinct exposed visitors who converted (at most `exposures`). */
  conversions: number;
}

export interface Comparison {
  /** p̂₂ − p̂₁ as a fraction (0.02 = two percentage points); null when an arm is empty. */
  difference: number | null;
  /** 95% confidence interval of the difference [low, high]; null when undefined (empty arm or zero variance). */
  ci95: [number, number] | null;
  /** The pooled z statistic; null when undefined. */
  z: number | null;
  /** Two-sided p-value of the pooled two-proportion z-test; null when undefined. */
  pValue: number | null;
  /** Whether each arm has at least 5 conversions and 5 non-conversions (normal approximation adequate). */
  reliable: boolean;
}

/** The conversion rate c/n, or null when n is 0. */
export function rate(arm: Arm): number | null {
  return arm.exposures > 0 ? arm.conversions / arm.exposures : null;
}

/**
 * Compares a treatment arm with the control arm (formulas in the module comment). Throws a RangeError when
 * counts are negative, not integers, or conversions exceed exposures.
 */
export function compareProportions(control: Arm, treatment: Arm): Comparison {
  for (const arm of [control, treatment]) {
    if (
      !Number.isInteger(arm.exposures) ||
      !Number.isInteger(arm.conversions) ||
      arm.exposures < 0 ||
      arm.conversions < 0 ||
      arm.conversions > arm.exposures
    ) {
      throw new RangeError(`invalid arm ${JSON.stringify(arm)}: need integers 0 <= conversions <= exposures`);
    }
  }
  const n1 = control.exposures;
  const n2 = treatment.exposures;
  if (n1 === 0 || n2 === 0) return { difference: null, ci95: null, z: null, pValue: null, reliable: false };
  const p1 = control.conversions / n1;
  const p2 = treatment.conversions / n2;
  const d = p2 - p1;
  const reliable = [control, treatment].every((a) => a.conversions >= 5 && a.exposures - a.conversions >= 5);
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const ci95: [number, number] | null = se > 0 ? [d - Z_95 * se, d + Z_95 * se] : null;
  const pooled = (control.conversions + treatment.conversions) / (n1 + n2);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se0 === 0) return { difference: d, ci95, z: null, pValue: null, reliable };
  const z = d / se0;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { difference: d, ci95, z, pValue, reliable };
}
