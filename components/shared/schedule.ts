/**
 * One schedule notation for both clouds: the 5-field cron Meridian's config takes (minute hour
 * day-of-month month day-of-week, numbers only, UTC), translated where a cloud wants another dialect.
 */

/**
 * Translates a 5-field cron to EventBridge Scheduler's `cron(min hour dom month dow year)`:
 * EventBridge needs `?` in one of the two day fields and numbers days of the week 1-7 from Sunday
 * (cron counts 0-6 from Sunday). Both day fields restricted has no EventBridge equivalent (cron ORs
 * them; EventBridge cannot express that), so it is rejected.
 *
 * @example toEventBridgeCron("15 3 * * *")   // "cron(15 3 * * ? *)"
 * @example toEventBridgeCron("0 6 * * 1-5")  // "cron(0 6 ? * 2-6 *)"
 */
export function toEventBridgeCron(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`schedule "${cron}" is not a 5-field cron`);
  const [minute, hour, dom, month, dow] = fields;
  if (dom !== "*" && dow !== "*") {
    throw new Error(
      `schedule "${cron}" restricts both day-of-month and day-of-week; allowed: one of them "*" (EventBridge cannot OR the two)`,
    );
  }
  const ebDow = dow === "*" ? "?" : dow.replace(/\d+/g, (d) => String((Number(d) % 7) + 1));
  const ebDom = dow === "*" ? dom : "?";
  return `cron(${minute} ${hour} ${ebDom} ${month} ${ebDow} *)`;
}
