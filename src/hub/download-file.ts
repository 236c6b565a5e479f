/**
 * One file from the Hub into the cache, resumable: bytes go to `<dest>.incomplete`; a dropped connection resumes
 * with an HTTP Range request (in this run, or the next one); the finished file is checked against the Hub's sha256
 * (or git blob id) before it is renamed into place, so a file under its final name is always a verified one.
 */
import type { Hash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { AbortedError, BackendError, IntegrityError } from "../errors.js";
import { fetchFollowingRedirects } from "./fetch-following-redirects.js";
import { expectedHash, hashFilePrefix, startHash, type ExpectedHash } from "./file-hash.js";
import { hubHttpError, type HubClient, type HubFile } from "./hub-client.js";

export interface DownloadFileOptions {
  client: HubClient;
  repo: string;
  commit: string;
  file: HubFile;
  dest: string;
  /** Called with each run of new bytes (negative when a bad partial file is discarded). */
  onBytes?: (delta: number) => void;
  /** Connection failures tolerated in a row without progress (default 5). */
  retries?: number;
  /** Wait before retry n is n × this (default 1000 ms). */
  retryDelayMs?: number;
  /** Give up on a connection that delivers nothing for this long (default 60 s). */
  stallTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface DownloadFileResult {
  /** Bytes fetched over the network in this call. */
  downloaded: number;
  /** Requests that continued a partial file with a Range header. */
  resumes: number;
  /** The file was already in the cache. */
  cached: boolean;
}

/** The running hash of the partial file's first `bytes` bytes (-1: unknown, rehash from disk). */
interface HashState {
  expected: ExpectedHash | undefined;
  size: number;
  hash?: Hash;
  bytes: number;
}

const sizeOf = async (path: string) => (existsSync(path) ? (await stat(path)).size : 0);
const strip = (etag: string | null) => etag?.replace(/^W\//, "").replace(/"/g, "").toLowerCase();

function isFatal(error: unknown): boolean {
  if (error instanceof IntegrityError || error instanceof AbortedError) return true;
  return error instanceof BackendError && error.status !== undefined && error.status < 500 && error.status !== 408 && error.status !== 429;
}

export async function downloadFile(options: DownloadFileOptions): Promise<DownloadFileResult> {
  const { file, dest } = options;
  if (existsSync(dest) && (file.size < 0 || (await stat(dest)).size === file.size)) return { downloaded: 0, resumes: 0, cached: true };
  await mkdir(dirname(dest), { recursive: true });
  const partial = `${dest}.incomplete`;
  const url = options.client.resolveUrl(options.repo, options.commit, file.path);
  const state: HashState = { expected: expectedHash(file), size: file.size, bytes: -1 };
  const retries = options.retries ?? 5;
  let downloaded = 0;
  let resumes = 0;
  let failures = 0;
  let startedFromPartial = existsSync(partial);
  const onBytes = (delta: number) => {
    if (delta > 0) downloaded += delta;
    options.onBytes?.(delta);
  };

  for (;;) {
    if (options.signal?.aborted) throw new AbortedError("download cancelled");
    let have = await sizeOf(partial);
    if (file.size >= 0 && have > file.size) {
      await rm(partial, { force: true });
      onBytes(-have);
      have = 0;
    }
    if (state.expected && state.bytes !== have) {
      state.hash = startHash(state.expected.algorithm, file.size);
      await hashFilePrefix(state.hash, partial, have);
      state.bytes = have;
    }
    if (file.size < 0 || have < file.size) {
      try {
        const ranged = await fetchInto({ ...options, onBytes, url, partial, have, state });
        if (ranged) resumes++;
        failures = 0;
        if (file.size >= 0 && (await sizeOf(partial)) !== file.size) continue; // body ended early: ask for the rest
      } catch (error) {
        if (isFatal(error) || options.signal?.aborted) throw error;
        state.bytes = -1; // what reached the disk is what counts
        const now = await sizeOf(partial);
        if (now > have) failures = 0;
        else if (++failures > retries) {
          throw new BackendError(`${file.path}: download failed after ${retries} retries (${(error as Error).message}); run again to resume`, url, undefined, { cause: error });
        }
        await new Promise((r) => setTimeout(r, (options.retryDelayMs ?? 1000) * Math.max(1, failures)));
        continue;
      }
    }
    const actual = state.hash?.digest("hex");
    if (state.expected && actual !== state.expected.hex) {
      const size = await sizeOf(partial);
      await rm(partial, { force: true });
      onBytes(-size);
      // A partial file left by an earlier run may hold bad bytes: start over once before calling the source corrupt.
      if (startedFromPartial) {
        startedFromPartial = false;
        state.bytes = -1;
        continue;
      }
      throw new IntegrityError(`${file.path}: ${state.expected.algorithm} is ${actual} but the Hub says ${state.expected.hex}; the corrupt download was deleted`, file.path, state.expected.hex, actual ?? "");
    }
    await rename(partial, dest);
    return { downloaded, resumes, cached: false };
  }
}

interface FetchIntoOptions extends DownloadFileOptions {
  url: string;
  partial: string;
  have: number;
  state: HashState;
}

/** One request: appends what arrives to the partial file, feeding the hash. Returns whether it was a resume. */
async function fetchInto(o: FetchIntoOptions): Promise<boolean> {
  const stallMs = o.stallTimeoutMs ?? 60_000;
  const stall = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stall.signal]) : stall.signal;
  let timer = setTimeout(() => stall.abort(), stallMs);
  try {
    const headers = { ...o.client.headers(), ...(o.have > 0 ? { range: `bytes=${o.have}-` } : {}) };
    const { response, hubHeaders } = await fetchFollowingRedirects(o.url, headers, signal);
    const linked = strip(hubHeaders.get("x-linked-etag"));
    if (o.file.sha256 && linked && /^[0-9a-f]{64}$/.test(linked) && linked !== o.file.sha256.toLowerCase()) {
      await response.body?.cancel();
      throw new IntegrityError(`${o.file.path}: the Hub's X-Linked-Etag ${linked} contradicts its file list (${o.file.sha256})`, o.file.path, o.file.sha256, linked);
    }
    if (response.status === 416) {
      // Our partial file does not fit the remote one: discard it and start again.
      await response.body?.cancel();
      await rm(o.partial, { force: true });
      o.onBytes?.(-o.have);
      o.state.bytes = -1;
      return false;
    }
    if (!response.ok) throw await hubHttpError(response, o.url, o.file.path);
    if (!response.body) throw new BackendError(`${o.file.path}: empty response`, o.url, response.status);
    const start = Number(/^bytes (\d+)-/.exec(response.headers.get("content-range") ?? "")?.[1] ?? 0);
    const ranged = o.have > 0 && response.status === 206 && start === o.have;
    if (o.have > 0 && !ranged) {
      // The server sent the file from the start: so do we.
      await rm(o.partial, { force: true });
      o.onBytes?.(-o.have);
      if (o.state.expected) o.state.hash = startHash(o.state.expected.algorithm, o.state.size);
      o.state.bytes = 0;
    }
    const fd = await open(o.partial, "a");
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        clearTimeout(timer);
        timer = setTimeout(() => stall.abort(), stallMs);
        let written = 0;
        while (written < value.byteLength) written += (await fd.write(value, written)).bytesWritten;
        o.state.hash?.update(value);
        o.state.bytes += value.byteLength;
        o.onBytes?.(value.byteLength);
      }
    } finally {
      await fd.close();
    }
    return ranged;
  } catch (error) {
    if (o.signal?.aborted) throw new AbortedError("download cancelled");
    if (stall.signal.aborted) throw new BackendError(`${o.file.path}: no data for ${Math.round(stallMs / 1000)} s`, o.url);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
