/**
 * The few Hugging Face Hub endpoints a download needs: repository info at a revision (commit sha, files with size,
 * git blob id and LFS sha256) and resolve URLs. `HF_ENDPOINT` and `HF_TOKEN` are honoured as huggingface_hub does.
 */
import { z } from "zod";
import { env } from "../config.js";
import { BackendError } from "../errors.js";

export const DEFAULT_HUB_ENDPOINT = "https://huggingface.co";

export interface HubFile {
  path: string;
  size: number;
  /** Git blob id (sha1 of "blob <size>\0" + content); what small, non-LFS files are checked against. */
  blobId?: string;
  /** sha256 of the content, for files stored with Git LFS (weights). */
  sha256?: string;
}

export interface RepoInfo {
  repo: string;
  /** The commit sha the revision resolved to; downloads are pinned to it. */
  commit: string;
  files: HubFile[];
}

const repoInfoSchema = z.object({
  sha: z.string().min(1),
  siblings: z.array(
    z.object({
      rfilename: z.string(),
      size: z.number().nullish(),
      blobId: z.string().nullish(),
      lfs: z.object({ sha256: z.string(), size: z.number() }).nullish(),
    }),
  ),
});

export interface HubClientOptions {
  endpoint?: string;
  token?: string;
}

/** `owner/name`: two path segments of safe characters. */
export function isRepoId(repo: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(repo);
}

export class HubClient {
  readonly endpoint: string;
  readonly token: string | undefined;

  constructor(options: HubClientOptions = {}) {
    this.endpoint = (options.endpoint ?? env.hubEndpoint() ?? DEFAULT_HUB_ENDPOINT).replace(/\/+$/, "");
    this.token = options.token ?? env.hubToken();
  }

  headers(): Record<string, string> {
    return { "user-agent": "vpo", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) };
  }

  resolveUrl(repo: string, commit: string, path: string): string {
    return `${this.endpoint}/${repo}/resolve/${encodeURIComponent(commit)}/${path.split("/").map(encodeURIComponent).join("/")}`;
  }

  async repoInfo(repo: string, revision = "main", signal?: AbortSignal): Promise<RepoInfo> {
    const url = `${this.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}?blobs=true`;
    let response: Response;
    try {
      response = await fetch(url, { headers: this.headers(), signal });
    } catch (error) {
      throw new BackendError(`cannot reach ${this.endpoint} (${(error as Error).cause ?? (error as Error).message}); set HF_ENDPOINT for a mirror`, url, undefined, { cause: error });
    }
    if (!response.ok) throw await hubHttpError(response, url, `${repo}@${revision}`);
    const parsed = repoInfoSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new BackendError(`${url} did not return repository info the way the Hugging Face Hub does`, url, response.status);
    return {
      repo,
      commit: parsed.data.sha,
      files: parsed.data.siblings.map((s) => ({
        path: s.rfilename,
        size: s.lfs?.size ?? s.size ?? -1,
        blobId: s.blobId ?? undefined,
        sha256: s.lfs?.sha256,
      })),
    };
  }
}

/** A Hub HTTP error with the hint a user needs (gated repos need a token and an accepted licence). */
export async function hubHttpError(response: Response, url: string, what: string): Promise<BackendError> {
  const body = (await response.text().catch(() => "")).slice(0, 200).replace(/\s+/g, " ");
  const code = response.headers.get("x-error-code");
  const hint =
    response.status === 401 || response.status === 403
      ? "; the repository may be private or gated: accept its licence on the Hub and set HF_TOKEN"
      : response.status === 404
        ? code === "RevisionNotFound" ? "; no such revision" : "; no such repository or file (or it is private and HF_TOKEN is unset)"
        : "";
  return new BackendError(`${what}: HTTP ${response.status}${body ? ` (${body})` : ""}${hint}`, url, response.status);
}
