/**
 * RFC 9457 problem details (`application/problem+json`). Responses never carry stack traces or SQL.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface FieldError {
  /** Where the value came from and its path, e.g. `query.lat` or `body.name`. */
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  429: "Too Many Requests",
  415: "Unsupported Media Type",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function problem(status: number, detail?: string, extra: Partial<Problem> = {}): Problem {
  const title = TITLES[status] ?? "Error";
  return {
    type: `https://meridian.dev/problems/${title.toLowerCase().replace(/[^a-z]+/g, "-")}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...extra,
  };
}

export function problemResponse(
  c: Context,
  status: number,
  detail?: string,
  extra: Partial<Problem> = {},
): Response {
  const body = problem(status, detail, { instance: c.req.path, ...extra });
  c.header("Cache-Control", "no-store");
  return c.body(JSON.stringify(body), status as ContentfulStatusCode, {
    "Content-Type": "application/problem+json",
  });
}

/**
 * Thrown by handlers for an expected failure; `app.onError` renders it as problem+json, with `headers`
 * (e.g. `Retry-After`) added to the response.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: Partial<Problem> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ProblemError";
  }
}
