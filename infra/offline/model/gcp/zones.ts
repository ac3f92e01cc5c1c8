/** Zones of a Google Cloud region as the offline model knows them. */

/** Zones of common regions (a, b, c, f for us-central1); others get a, b, c. */
export function gcpZones(region: string): string[] {
  if (region === "us-central1") return ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"];
  if (region === "us-east1") return ["us-east1-b", "us-east1-c", "us-east1-d"];
  if (region === "europe-west1") return ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
  return ["a", "b", "c"].map((s) => `${region}-${s}`);
}
