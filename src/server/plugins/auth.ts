import type { FastifyInstance, FastifyRequest } from "fastify";
import { ServiceError } from "../../errors.js";
import type { ApiKeys } from "../api-keys.js";

/** Routes open without a key: load-balancer health checks and the API document (and routes marked `public`). */
const PUBLIC_ROUTES = new Set(["/healthz", "/openapi.json"]);

const keyIds = new WeakMap<FastifyRequest, string>();

/** The id of the key a request was authorized with (never the key itself). */
export function keyIdOf(request: FastifyRequest): string | undefined {
  return keyIds.get(request);
}

/** `Authorization: Bearer KEY` on every route but the public ones; unknown paths fall through to 404. */
export function registerAuth(app: FastifyInstance, keys: ApiKeys | undefined): void {
  if (!keys) return;
  app.addHook("onRequest", async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || PUBLIC_ROUTES.has(route) || request.routeOptions.config.public === true) return;
    const match = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? "");
    if (!match) {
      void reply.header("www-authenticate", 'Bearer realm="vpo"');
      throw new ServiceError("unauthorized", "missing API key: send Authorization: Bearer KEY");
    }
    const id = keys.verify(match[1]!);
    if (!id) {
      void reply.header("www-authenticate", 'Bearer realm="vpo", error="invalid_token"');
      throw new ServiceError("unauthorized", "unknown API key");
    }
    keyIds.set(request, id);
  });
}
