import { strict as assert } from "node:assert";
import { dashboardWidgets } from "./dashboard";

describe("aws Observability dashboard helpers", () => {
  it("dashboardWidgets lays out widgets with region, view and period", () => {
    const w = dashboardWidgets([{ title: "a", metrics: [["AWS/RDS", "CPUUtilization"]] }], "us-east-2", 300);
    assert.deepEqual(w[0].properties, {
      title: "a",
      region: "us-east-2",
      view: "timeSeries",
      stacked: false,
      period: 300,
      stat: "Average",
      metrics: [["AWS/RDS", "CPUUtilization"]],
    });
  });
});
