/**
 * Request and response helpers shared by the app suites: the admin credential headers (the test API key from
 * harness.ts) and the problem+json checks (RFC 9457, `application/problem+json`, see docs/app.md).
 */
import { strict as assert } from "node:assert";
import { ADMIN_KEY } from "./harness";

/** `Authorization: Bearer <ADMIN_API_KEY>` for the admin endpoints. */
export const admin = { authorization: `Bearer ${ADMIN_KEY}` };

/** The admin credential plus `Content-Type: application/json`, for admin JSON writes. */
export const jsonAdmin = { ...admin, "content-type": "application/json" };

/** The response body parsed as JSON (untyped: the suites assert on its shape). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test helper: callers index freely and assert
export async function body(res: Response): Promise<any> {
  return JSON.parse(await res.text());
}

/** Asserts the status and the problem+json media type (the body is left unread). */
export function expectProblem(res: Response, status: number): void {
  assert.equal(res.status, status);
  assert.equal(res.headers.get("content-type"), "application/problem+json");
}

/**
 * Reads a problem+json response: asserts the status (the body text as the message), a problem+json media type
 * (parameters allowed) and the body's `status` member, and returns the body.
 */
export async function problemOf(res: Response, status: number): Promise<{ detail: string; status: number }> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.match(res.headers.get("content-type") ?? "", /application\/problem\+json/);
  const body = JSON.parse(text) as { detail: string; status: number };
  assert.equal(body.status, status);
  return body;
}
