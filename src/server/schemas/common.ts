import { z } from "zod";

const zodOf = new WeakMap<object, z.ZodType>();

/**
 * The JSON schema of a zod type, for a route's `schema` (OpenAPI document, response serialization). Request schemas
 * made here are validated by the zod type itself (see `zodValidatorCompiler`), so zod's rules and messages apply.
 */
export function toSchema(schema: z.ZodType, io: "input" | "output" = "input"): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: "openapi-3.0", io, unrepresentable: "any" }) as Record<string, unknown>;
  zodOf.set(json, schema);
  return json;
}

/** The zod type a request schema was made from. */
export function zodTypeOf(schema: unknown): z.ZodType | undefined {
  return typeof schema === "object" && schema !== null ? zodOf.get(schema) : undefined;
}

/** One line a client can act on: "queries.0: Invalid input: expected string; Unrecognized key: \"foo\"". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message)).join("; ");
}

export const errorBody = z.object({
  error: z.object({ code: z.string().describe("vpo's stable error code"), message: z.string() }),
});

const errorSchema = toSchema(errorBody, "output");

/** Response schemas of the error statuses a route can answer; serialization drops anything else. */
export function errorResponses(...statuses: number[]): Record<number, Record<string, unknown>> {
  return Object.fromEntries(statuses.map((status) => [status, { ...errorSchema, description: `error ${status}` }]));
}

/** Every route can answer these (auth, rate limit, validation, overload, timeout, internal error). */
export const COMMON_ERRORS = [400, 401, 413, 429, 500, 502, 503, 504];

/** A JSON object whose fields a client reads from the library's documented types. */
export const anyObject = { type: "object", additionalProperties: true } as const;

/** A result, or an array of them (a batch). */
export const objectOrArray = { anyOf: [{ type: "array", items: anyObject }, anyObject] } as const;
