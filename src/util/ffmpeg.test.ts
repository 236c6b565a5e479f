import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { FfmpegNotFoundError, VpoError } from "../errors.js";
import { bundledFfmpeg, resolveFfmpeg, type FfmpegLookup } from "./ffmpeg.js";

/** A directory holding an executable `ffmpeg` script that says which one it is. */
function fakeFfmpegDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vpo-ffmpeg-${label}-`));
  const path = join(dir, "ffmpeg");
  writeFileSync(path, `#!/bin/sh\necho ${label}\n`);
  chmodSync(path, 0o755);
  return dir;
}

const emptyDir = () => mkdtempSync(join(tmpdir(), "vpo-ffmpeg-empty-"));
const noBundle = () => ({ reason: "Unsupported platform/architecture: plan9-mips" });

describe("resolveFfmpeg", () => {
  it("prefers VPO_FFMPEG over PATH and the bundled binary", () => {
    const chosen = join(fakeFfmpegDir("override"), "ffmpeg");
    const lookup: FfmpegLookup = { override: chosen, searchPath: fakeFfmpegDir("path"), bundled: bundledFfmpeg };
    expect(resolveFfmpeg(lookup)).toEqual({ path: chosen, source: "VPO_FFMPEG" });
  });

  it("uses the first ffmpeg on PATH when VPO_FFMPEG is unset or empty, skipping directories without one", () => {
    const first = fakeFfmpegDir("first");
    const searchPath = [emptyDir(), first, fakeFfmpegDir("second")].join(delimiter);
    for (const override of [undefined, ""]) {
      const found = resolveFfmpeg({ override, searchPath, bundled: bundledFfmpeg });
      expect(found).toEqual({ path: join(first, "ffmpeg"), source: "PATH" });
      expect(execFileSync(found.path, { encoding: "utf8" }).trim()).toBe("first");
    }
  });

  it("ignores an ffmpeg on PATH that is not executable", () => {
    const dir = emptyDir();
    writeFileSync(join(dir, "ffmpeg"), "not a program");
    const lookup = { override: undefined, searchPath: dir, bundled: noBundle };
    expect(() => resolveFfmpeg(lookup)).toThrow(FfmpegNotFoundError);
  });

  it("falls back to the binary the @ffmpeg-installer/ffmpeg package ships, and that binary runs", () => {
    const found = resolveFfmpeg({ override: undefined, searchPath: emptyDir(), bundled: bundledFfmpeg });
    expect(found.source).toBe("@ffmpeg-installer/ffmpeg");
    expect(found.path).toMatch(/@ffmpeg-installer[/\\][a-z0-9-]+[/\\]ffmpeg(\.exe)?$/);
    expect(execFileSync(found.path, ["-version"], { encoding: "utf8" })).toMatch(/^ffmpeg version/);
  });

  it("fails naming all three sources, with why each was not used, when none works", () => {
    let error: unknown;
    try {
      resolveFfmpeg({ override: undefined, searchPath: emptyDir(), bundled: noBundle });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    expect(VpoError.isInstance(error) && error.code).toBe("ffmpeg-missing");
    const message = (error as Error).message;
    expect(message).toContain("VPO_FFMPEG: not set");
    expect(message).toContain("PATH: no ffmpeg on PATH");
    expect(message).toContain("@ffmpeg-installer/ffmpeg: Unsupported platform/architecture: plan9-mips");
    expect(message).toMatch(/Set VPO_FFMPEG .* put ffmpeg on PATH .* @ffmpeg-installer\/ffmpeg/);
  });

  it("refuses a VPO_FFMPEG that is not an executable file instead of silently running another ffmpeg", () => {
    const dir = emptyDir();
    mkdirSync(join(dir, "a-folder"));
    for (const [override, reason] of [
      [join(dir, "missing"), "does not exist"],
      [join(dir, "a-folder"), "is not a file"],
    ] as const) {
      const lookup = { override, searchPath: fakeFfmpegDir("path"), bundled: bundledFfmpeg };
      expect(() => resolveFfmpeg(lookup)).toThrow(new RegExp(`VPO_FFMPEG: ${override.replace(/[/\\.]/g, "\\$&")} ${reason}`));
    }
  });
});
