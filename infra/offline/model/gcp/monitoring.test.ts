/**
 * The offline model of Cloud Monitoring (monitoring.ts): channels, alert policies and their conditions,
 * uptime checks, dashboards.
 */
import { strict as assert } from "node:assert";
import { model, NUMBER, PROJECT } from "./testing";

describe("offline model of Google Cloud", () => {
  describe("Cloud Monitoring, Logging, DNS", () => {
    it("names channels, policies (and their conditions), uptime checks and dashboards", () => {
      const ch = model("gcp:monitoring/notificationChannel:NotificationChannel", { type: "email" });
      assert.match(ch.s.name, new RegExp(`^projects/${PROJECT}/notificationChannels/\\d{19}$`));
      assert.equal(ch.id, ch.s.name);
      const ap = model("gcp:monitoring/alertPolicy:AlertPolicy", {
        displayName: "5xx",
        conditions: [{ displayName: "ratio" }],
      });
      assert.match(ap.s.name, new RegExp(`^projects/${PROJECT}/alertPolicies/\\d{19}$`));
      assert.match(ap.s.conditions[0].name, new RegExp(`^${ap.s.name}/conditions/\\d{19}$`));
      assert.equal(ap.s.conditions[0].displayName, "ratio");
      const up = model("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", {
        displayName: "Meridian ready",
      });
      assert.match(up.s.uptimeCheckId, /^meridian-ready-[0-9a-f]{10}$/);
      assert.equal(up.s.name, `projects/${PROJECT}/uptimeCheckConfigs/${up.s.uptimeCheckId}`);
      const d = model("gcp:monitoring/dashboard:Dashboard", { dashboardJson: "{}" });
      assert.match(d.id!, new RegExp(`^projects/${NUMBER}/dashboards/[0-9a-f-]{36}$`));
    });
  });
});
