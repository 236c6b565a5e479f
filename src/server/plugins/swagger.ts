import swagger from "@fastify/swagger";
import type { FastifyInstance } from "fastify";

/** The OpenAPI document, built from the routes' schemas (served at GET /openapi.json). */
export async function registerSwagger(app: FastifyInstance, version: string, withKeys: boolean): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "vpo", description: "Aligned video prompt optimization as an HTTP service, and an OpenAI-compatible model named vpo.", version },
      ...(withKeys ? { components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } }, security: [{ bearer: [] }] } : {}),
    },
  });
}
