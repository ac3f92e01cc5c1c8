/** OpenAPI response helpers shared by every route module (problem+json responses, JSON bodies). */
import { z } from "@hono/zod-openapi";
import { ProblemSchema } from "../schemas";

/** problem+json responses for the given status codes. */
export const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: `Problem (${code})`,
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    ]),
  );

/** A JSON response with a schema. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
