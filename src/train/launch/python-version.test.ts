import { describe, expect, it } from "vitest";
import { compareVersions, parsePythonVersion, satisfies } from "./python-version.js";

const v = (text: string) => parsePythonVersion(text)!;

describe("Python (PEP 440) versions as the engines report them", () => {
  it("orders dev < pre-release < release < post-release, and ignores a local label", () => {
    const sorted = ["1.10.0.dev0", "1.10.0rc1", "1.10.0", "1.10.0.post1", "1.13.0", "2.0"].map(v);
    for (let i = 1; i < sorted.length; i++) expect(compareVersions(sorted[i - 1]!, sorted[i]!)).toBe(-1);
    expect(compareVersions(v("1.13.0+f2cd577"), v("1.13.0"))).toBe(0);
    expect(compareVersions(v("5.0"), v("5.0.0"))).toBe(0);
    expect(parsePythonVersion("not a version")).toBeUndefined();
  });

  it("checks the specifiers the engines pin with", () => {
    const pin = ">=4.55.0,<=5.8.0,!=4.57.0,!=5.6.0";
    expect(["4.55.0", "4.57.6", "5.8.0"].map((x) => satisfies(v(x), pin))).toEqual([true, true, true]);
    expect(["4.54.1", "4.57.0", "5.6.0", "5.9.0"].map((x) => satisfies(v(x), pin))).toEqual([false, false, false, false]);
    // TRL's main branch reports 1.10.0.dev0: past the 0.29 floor, before 1.10.0 itself.
    expect(satisfies(v("1.10.0.dev0"), ">=0.29.0")).toBe(true);
    expect(satisfies(v("0.29.0rc1"), ">=0.29.0")).toBe(false);
    expect(() => satisfies(v("1.0"), "~=1.0")).toThrow(/unsupported version specifier/);
  });
});
