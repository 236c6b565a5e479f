import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { z } from "zod";
import { loadChecklist } from "../../reward/checklist.js";
import { listRuns, runCharts, runDetail, runItems, runPairs, runSftRecords, runVideo, type RunLibrary } from "../../run-browser/index.js";
import { anyObject, errorResponses, toSchema } from "../schemas/common.js";
import { itemQuery, pairQuery, recordQuery, runParams, videoParams } from "../schemas/runs.js";
import { sendFile } from "../send-file.js";

export interface RunRouteOptions {
  library: RunLibrary;
}

const ok = (summary: string, extra: Record<string, unknown> = {}) => ({ summary, tags: ["runs"], response: { 200: anyObject, ...errorResponses(400, 401, 404, 429) }, ...extra });
const params = (request: FastifyRequest) => request.params as z.infer<typeof runParams>;

/** The run browser's API (`vpo serve --runs DIR`): read-only views of the pipeline run directories under DIR. */
export const runRoutes: FastifyPluginAsync<RunRouteOptions> = async (app, { library }) => {
  const checklist = loadChecklist();
  const runSchema = { params: toSchema(runParams) };

  app.get("/api/runs", { schema: ok("the runs under --runs DIR with their stages, counts and progress") }, async () => ({ runs: listRuns(library) }));

  app.get("/api/runs/:run", { schema: ok("one run: stages, counts, failure reasons, settings", runSchema) }, async (request) => runDetail(library, params(request).run));

  app.get("/api/runs/:run/items", { schema: ok("a page of a run's items with status and failure reason", { ...runSchema, querystring: toSchema(itemQuery) }) }, async (request) =>
    runItems(library, params(request).run, request.query as z.infer<typeof itemQuery>),
  );

  app.get("/api/runs/:run/sft", { schema: ok("a page of SFT records: query → teacher prompt → critique → refined prompt", { ...runSchema, querystring: toSchema(recordQuery) }) }, async (request) =>
    runSftRecords(library, params(request).run, request.query as z.infer<typeof recordQuery>),
  );

  app.get("/api/runs/:run/pairs", { schema: ok("a page of DPO pairs with critiques or checklist answers", { ...runSchema, querystring: toSchema(pairQuery) }) }, async (request) =>
    runPairs(library, params(request).run, request.query as z.infer<typeof pairQuery>),
  );

  app.get("/api/runs/:run/charts", { schema: ok("score distribution and pair gaps", runSchema) }, async (request) => runCharts(library, params(request).run));

  app.get("/api/checklist", { schema: ok("the VisionReward checklist (64 questions, weights, dimensions)") }, async () => ({
    questions: checklist.questions,
    weights: checklist.weights,
    dimensions: checklist.dimensions ?? [],
    placeholder: checklist.placeholder,
  }));

  app.get(
    "/api/runs/:run/videos/:name",
    { schema: { summary: "a cached video of the run (Range requests supported)", tags: ["runs"], params: toSchema(videoParams), response: errorResponses(401, 404, 416, 429) } },
    async (request, reply) => {
      const { run, name } = request.params as z.infer<typeof videoParams>;
      return sendFile(request, reply, runVideo(library, run, name));
    },
  );
};
