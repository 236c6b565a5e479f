import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shouldPullDefaultModel } from "./auto-pull.js";

const saved = { home: process.env.VPO_HOME, auto: process.env.VPO_AUTO_PULL };
let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "vpo-autopull-"));
  process.env.VPO_HOME = home;
  delete process.env.VPO_AUTO_PULL;
});
afterEach(() => {
  for (const [key, value] of [["VPO_HOME", saved.home], ["VPO_AUTO_PULL", saved.auto]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe("shouldPullDefaultModel", () => {
  it("pulls only when asked, with no model named and none cached", () => {
    expect(shouldPullDefaultModel({})).toBe(false);
    expect(shouldPullDefaultModel({}, true)).toBe(true);
    process.env.VPO_AUTO_PULL = "1";
    expect(shouldPullDefaultModel({})).toBe(true);
    expect(shouldPullDefaultModel({ baseUrl: "http://127.0.0.1:8000/v1" })).toBe(false);
    expect(shouldPullDefaultModel({ model: "my.gguf" })).toBe(false);
  });

  it("starts from the cache once the model is there", () => {
    mkdirSync(join(home, "models"));
    writeFileSync(join(home, "models", "CCCCCC--VPO-5B.q8_0.gguf"), "");
    expect(shouldPullDefaultModel({}, true)).toBe(false);
  });
});
