import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { statSync } from "node:fs";
import { extname } from "node:path";
import type { z } from "zod";
import { ServiceError } from "../../errors.js";
import { reviewReport, type ReviewStore } from "../../review/index.js";
import { VIDEO_TYPES } from "../../run-browser/index.js";
import { anyObject, errorResponses, toSchema } from "../schemas/common.js";
import { itemParams, joinBody, reviewParams, videoParams, videoQuery, voteBody } from "../schemas/review.js";
import { sendFile } from "../send-file.js";

export interface ReviewRouteOptions {
  store: ReviewStore;
}

const schema = (summary: string, extra: Record<string, unknown> = {}) => ({ summary, tags: ["review"], response: { 200: anyObject, ...errorResponses(400, 401, 404, 413, 429) }, ...extra });
const name = (request: FastifyRequest) => (request.params as z.infer<typeof reviewParams>).name;

/**
 * Blind A/B review (`vpo serve --reviews STORE`): reviewers join by name, see each item with the sides in their own
 * recorded random order, and vote; the report un-blinds. Votes are POSTs (validated, rate-limited, body-limited).
 */
export const reviewRoutes: FastifyPluginAsync<ReviewRouteOptions> = async (app, { store }) => {
  app.get("/api/reviews", { schema: schema("the review sets of the store") }, async () => ({ reviews: store.list().map(({ reviewers: _r, ...info }) => info) }));

  app.get("/api/reviews/:name", { schema: schema("a review set: item count and reviewers' progress", { params: toSchema(reviewParams) }) }, async (request) => {
    const { labels: _labels, ...info } = store.info(name(request));
    return info;
  });

  app.post("/api/reviews/:name/reviewers", { schema: schema("join (or rejoin) as a reviewer: where to continue", { params: toSchema(reviewParams), body: toSchema(joinBody) }) }, async (request) =>
    store.join(name(request), (request.body as z.infer<typeof joinBody>).reviewer),
  );

  app.post("/api/reviews/:name/items/:position/show", { schema: schema("an item as this reviewer sees it (the side order is drawn once, then kept)", { params: toSchema(itemParams), body: toSchema(joinBody) }) }, async (request) => {
    const { name: review, position } = request.params as z.infer<typeof itemParams>;
    return store.show(review, (request.body as z.infer<typeof joinBody>).reviewer, position);
  });

  app.post("/api/reviews/:name/items/:position/votes", { schema: schema("this reviewer's answers to the three questions of an item", { params: toSchema(itemParams), body: toSchema(voteBody) }) }, async (request) => {
    const { name: review, position } = request.params as z.infer<typeof itemParams>;
    const body = request.body as z.infer<typeof voteBody>;
    return store.vote(review, body.reviewer, position, body.answers);
  });

  app.get("/api/reviews/:name/report", { schema: schema("win / tie / loss per question with 95% intervals, and agreement", { params: toSchema(reviewParams) }) }, async (request) => reviewReport(store, name(request)));

  app.get(
    "/api/reviews/:name/items/:position/videos/:label",
    { schema: { summary: "the video of the side this reviewer saw as A or B (Range requests supported)", tags: ["review"], params: toSchema(videoParams), querystring: toSchema(videoQuery), response: errorResponses(400, 401, 404, 416) } },
    async (request, reply) => {
      const { name: review, position, label } = request.params as z.infer<typeof videoParams>;
      const path = store.video(review, (request.query as z.infer<typeof videoQuery>).reviewer, position, label);
      const type = path ? VIDEO_TYPES[extname(path).slice(1).toLowerCase()] : undefined;
      const stat = path ? statSync(path, { throwIfNoEntry: false }) : undefined;
      if (!path || !type || !stat?.isFile()) throw new ServiceError("not-found", "this side has no video");
      return sendFile(request, reply, { path, type, bytes: stat.size });
    },
  );
};
