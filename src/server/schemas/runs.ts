import { z } from "zod";
import { MAX_PAGE } from "../../run-browser/index.js";

const page = {
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  q: z.string().max(400).optional().describe("text the query contains"),
};

export const runParams = z.object({ run: z.string().min(1).max(200) }).strict();
export const videoParams = z.object({ run: z.string().min(1).max(200), name: z.string().min(1).max(200) }).strict();

export const itemQuery = z
  .object({
    ...page,
    stage: z.string().max(64).optional(),
    status: z.enum(["pending", "running", "done", "failed"]).optional(),
  })
  .strict();

export const recordQuery = z.object(page).strict();

export const pairQuery = z.object({ ...page, source: z.enum(["text", "video"]).optional() }).strict();
