import closeWithGrace from "close-with-grace";
import { Command, Option } from "commander";
import { join } from "node:path";
import { env } from "../../config.js";
import { withEnvDefaults } from "../../model/open-model.js";
import { DEFAULT_MAX_QUERY_CHARS } from "../../optimize/query.js";
import { loadTemplate } from "../../optimize/template.js";
import { loadApiKeys } from "../../server/api-keys.js";
import { createServer } from "../../server/create-server.js";
import { DEFAULT_LIMITS } from "../../server/limits.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { addGuardOptions, type GuardFlags } from "../guard-options.js";
import { addTargetOptions, targetFrom, type TargetFlags } from "../target-options.js";
import { loadTargets } from "../../target/registry.js";
import { addModelOptions, modelSpecFrom, parseInteger, parseNumber } from "../options.js";
import { safetySettingsFrom } from "../safety-options.js";
import { VERSION } from "../program.js";

interface ServeFlags extends GlobalFlags, GuardFlags, TargetFlags {
  host: string;
  port: number;
  apiKeys?: string;
  insecureNoAuth?: boolean;
  template?: string;
  maxQueryChars: number;
  concurrency?: number;
  bodyLimit: number;
  maxBatch: number;
  maxInFlight: number;
  maxQueue: number;
  requestTimeout: number;
  headersTimeout: number;
  bodyTimeout: number;
  keepAliveTimeout: number;
  rateLimit: number;
  rateWindow: number;
  cache: string | false;
  cacheTtl: number;
  cacheMaxEntries: number;
  drainTimeout: number;
  web: boolean;
  runs?: string;
  reviews?: string;
  allowImageUrls?: boolean;
}

const seconds = (ms: number) => ms / 1000;

export function serveCommand(): Command {
  const d = DEFAULT_LIMITS;
  const command = new Command("serve")
    .description("serve the optimizer over HTTP: /v1/optimize, /v1/judge, /v1/screen, and an OpenAI-compatible model named vpo")
    .addOption(new Option("--host <address>", "address to listen on (without API keys: loopback only)").default("127.0.0.1"))
    .addOption(new Option("--port <n>", "port (0: any free port)").argParser(parseInteger(0)).default(8787))
    .addOption(new Option("--api-keys <file>", "accepted API keys, one a line (raw, or sha256:HEX); also env VPO_API_KEYS"))
    .addOption(new Option("--insecure-no-auth", "allow a non-loopback --host without API keys"))
    .addOption(new Option("--template <vpo|file>", "prompt template: the VPO model contract, or a text file with a {query} placeholder").default("vpo"))
    .addOption(new Option("--max-query-chars <n>", "reject longer queries (400)").argParser(parseInteger(1)).default(DEFAULT_MAX_QUERY_CHARS))
    .addOption(new Option("-c, --concurrency <n>", "backend requests (or llama.cpp sequences) at once (default: --max-in-flight on a server, 4 in-process)").argParser(parseInteger(1)))
    .addOption(new Option("--body-limit <bytes>", "largest request body (413 beyond)").argParser(parseInteger(1)).default(d.bodyLimitBytes))
    .addOption(new Option("--max-batch <n>", "most queries in one /v1/optimize request").argParser(parseInteger(1)).default(d.maxBatch))
    .addOption(new Option("--max-in-flight <n>", "requests doing model work at once").argParser(parseInteger(1)).default(d.maxInFlight))
    .addOption(new Option("--max-queue <n>", "requests waiting for a slot (503 + Retry-After beyond)").argParser(parseInteger(0)).default(d.maxQueued))
    .addOption(new Option("--request-timeout <seconds>", "a request's whole time in vpo, queueing included (504 beyond)").argParser(parseNumber).default(seconds(d.requestTimeoutMs)))
    .addOption(new Option("--headers-timeout <seconds>", "time a client has to send its headers (408 and close beyond)").argParser(parseNumber).default(seconds(d.headersTimeoutMs)))
    .addOption(new Option("--body-timeout <seconds>", "time a client has to send its whole request").argParser(parseNumber).default(seconds(d.bodyTimeoutMs)))
    .addOption(new Option("--keep-alive-timeout <seconds>", "idle keep-alive connections close after this").argParser(parseNumber).default(seconds(d.keepAliveTimeoutMs)))
    .addOption(new Option("--rate-limit <n>", "requests per key (per address without keys) per window; 0: off (429 + Retry-After beyond)").argParser(parseInteger(0)).default(d.rateLimit.max))
    .addOption(new Option("--rate-window <seconds>", "the rate limit's window").argParser(parseNumber).default(seconds(d.rateLimit.windowMs)))
    .addOption(new Option("--cache <file>", "SQLite cache of deterministic results (a seed set, or temperature 0)").default(join(env.home(), "serve-cache.sqlite"), "$VPO_HOME/serve-cache.sqlite"))
    .addOption(new Option("--no-cache", "no result cache"))
    .addOption(new Option("--cache-ttl <seconds>", "cached results expire after this").argParser(parseNumber).default(86_400))
    .addOption(new Option("--cache-max-entries <n>", "the oldest cached results are evicted beyond this many").argParser(parseInteger(1)).default(10_000))
    .addOption(new Option("--allow-image-urls", "let /v1/optimize's image be an http(s) URL this server downloads (default: data URLs only)"))
    .addOption(new Option("--drain-timeout <seconds>", "on SIGTERM/SIGINT, how long in-flight requests may take to finish before exit").argParser(parseNumber).default(30))
    .addOption(new Option("--no-web", "API only: no web app at /"))
    .addOption(new Option("--runs <dir>", "run browser at /runs over the pipeline run directories under DIR (read-only)"))
    .addOption(new Option("--reviews <file>", "blind A/B review at /review from this review store (vpo review create)"));
  addModelOptions(command);
  addGuardOptions(command);
  addTargetOptions(command);
  command.options.find((o) => o.long === "--guard")!.description = "guard every request that does not say guard: false (the vpo chat model stays unguarded)";
  return command.action(async (_local: unknown, self: Command) => {
    const flags = self.optsWithGlobals<ServeFlags>();
    const logger = loggerFor(flags);
    const apiKeys = await loadApiKeys({ file: flags.apiKeys, env: env.apiKeys() });
    const spec = withEnvDefaults(modelSpecFrom({ ...flags }, "", { logger }));
    const concurrency = flags.concurrency ?? (spec.baseUrl ? flags.maxInFlight : 4);
    const judgeSpec = modelSpecFrom({ ...flags }, "judge", { concurrency, logger });
    const defaultTarget = await targetFrom(flags);
    const targets = flags.targetsFile ? await loadTargets({ targetsFile: flags.targetsFile }) : undefined;
    const server = await createServer({
      ...(defaultTarget ? { defaultTarget } : {}),
      ...(targets ? { targets } : {}),
      model: { ...spec, concurrency },
      ...(judgeSpec.baseUrl || judgeSpec.model ? { judge: judgeSpec } : {}),
      host: flags.host,
      port: flags.port,
      ...(apiKeys ? { apiKeys } : {}),
      insecureNoAuth: flags.insecureNoAuth,
      template: await loadTemplate(flags.template),
      maxQueryChars: flags.maxQueryChars,
      guardDefaults: { policy: flags.policy, rounds: flags.rounds, minCoverage: flags.minCoverage, judgeFormat: flags.judgeFormat },
      guardByDefault: Boolean(flags.guard),
      web: flags.web ? {} : false,
      ...(flags.runs !== undefined ? { runs: flags.runs } : {}),
      ...(flags.reviews !== undefined ? { reviews: flags.reviews } : {}),
      safety: safetySettingsFrom(flags, logger),
      limits: {
        bodyLimitBytes: flags.bodyLimit,
        maxBatch: flags.maxBatch,
        maxInFlight: flags.maxInFlight,
        maxQueued: flags.maxQueue,
        requestTimeoutMs: flags.requestTimeout * 1000,
        headersTimeoutMs: flags.headersTimeout * 1000,
        bodyTimeoutMs: Math.max(flags.bodyTimeout, flags.headersTimeout) * 1000,
        keepAliveTimeoutMs: flags.keepAliveTimeout * 1000,
        rateLimit: { max: flags.rateLimit, windowMs: flags.rateWindow * 1000 },
      },
      cache: flags.cache === false ? false : { path: flags.cache, ttlMs: flags.cacheTtl * 1000, maxEntries: flags.cacheMaxEntries },
      ...(flags.allowImageUrls ? { allowImageUrls: true } : {}),
      logger,
      version: VERSION,
    });
    const url = await server.listen();
    logger.info(`vpo serve: listening on ${url}${apiKeys ? ` (${apiKeys.size} API keys)` : " (no API keys: loopback only)"}`);
    closeWithGrace({ delay: flags.drainTimeout * 1000, logger: { error: (m: string) => logger.error(m) } }, async ({ signal, err }) => {
      if (err) logger.error(`vpo serve: ${err.message}`);
      else logger.info(`vpo serve: ${signal ?? "exit"}: draining in-flight requests (up to ${flags.drainTimeout} s)`);
      await server.close();
      logger.info("vpo serve: stopped");
    });
  });
}
