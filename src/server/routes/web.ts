import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyPluginAsync, FastifyReply } from "fastify";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Served without an API key (the web app's files: the API calls they make still need one). */
    public?: boolean;
  }
}

/** Where `npm run build` puts the web app (the same path from src/ under tsx and from dist/). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL("../../../dist/web/", import.meta.url));

/** The paths that answer with the app's index.html (the page itself routes on the path). */
export const WEB_PAGE_ROUTES = ["/", "/runs", "/runs/*", "/review", "/review/*"] as const;

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json; charset=utf-8",
};

/**
 * No inline script and no other origin: user and model text can never become code, even if a page had a bug.
 * `media-src 'self'` lets the run browser play cached videos from this server; `data:` images are the query's frame.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

interface WebFiles {
  index: Buffer;
  assets: Map<string, { body: Buffer; type: string }>;
}

/** Reads the built app into memory once: only these names can ever be served, so no path can reach another file. */
function loadWebFiles(dir: string): WebFiles | undefined {
  let index: Buffer;
  try {
    index = readFileSync(join(dir, "index.html"));
  } catch {
    return undefined;
  }
  const assets = new Map<string, { body: Buffer; type: string }>();
  const assetDir = join(dir, "assets");
  let names: string[] = [];
  try {
    names = readdirSync(assetDir);
  } catch {
    names = [];
  }
  for (const name of names) {
    const type = TYPES[extname(name)];
    const path = join(assetDir, name);
    if (type && statSync(path).isFile()) assets.set(name, { body: readFileSync(path), type });
  }
  return { index, assets };
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header("content-security-policy", CONTENT_SECURITY_POLICY)
    .header("x-frame-options", "DENY")
    .header("referrer-policy", "no-referrer")
    .header("cross-origin-opener-policy", "same-origin");
}

export interface WebRouteOptions {
  /** The built app (default: dist/web of this package). */
  dir?: string;
}

/** The web app (playground, run browser, review) at /: its index for each page path, its hashed assets. */
export const webRoutes: FastifyPluginAsync<WebRouteOptions> = async (app, options) => {
  const files = loadWebFiles(options.dir ?? DEFAULT_WEB_DIR);
  const config = { public: true, rateLimit: false } as const;
  const schema = { hide: true } as const;

  for (const url of WEB_PAGE_ROUTES) {
    app.get(url, { config, schema }, async (_request, reply) => {
      secure(reply).header("cache-control", "no-cache");
      if (!files) return reply.code(503).type("text/plain; charset=utf-8").send("The web app is not built: run `npm run build` in the vpo package.\n");
      return reply.type("text/html; charset=utf-8").send(files.index);
    });
  }

  app.get<{ Params: { name: string } }>("/assets/:name", { config, schema }, async (request, reply) => {
    const asset = files?.assets.get(request.params.name);
    if (!asset) return reply.callNotFound();
    // Vite puts a content hash in every asset name, so a cached copy is never stale.
    return secure(reply).header("cache-control", "public, max-age=31536000, immutable").type(asset.type).send(asset.body);
  });
};
