import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseCommandTemplate, renderCommand, shellQuote } from "./shell-template.js";

const video = (text: string) => parseCommandTemplate("--video-cmd", text, { allowed: ["prompt", "output", "seed", "query"], required: ["output"] });

describe("command templates", () => {
  it("passes any value as one literal word through a real shell", () => {
    const nasty = `it's "quoted" $(rm -rf /) \`x\` $HOME; echo pwned | cat\n  two lines \\ end`;
    const out = execFileSync("/bin/sh", ["-c", `printf '%s' ${shellQuote(nasty)}`], { encoding: "utf8" });
    expect(out).toBe(nasty);
  });

  it("fills placeholders shell-escaped", () => {
    const t = video("gen --prompt {prompt} --seed {seed} -o {output}");
    expect(renderCommand(t, { prompt: "a cat's piano", seed: 3, output: "/tmp/x.mp4" })).toBe(`gen --prompt 'a cat'\\''s piano' --seed '3' -o '/tmp/x.mp4'`);
  });

  it("rejects unknown, missing and quoted placeholders with the flag's name", () => {
    expect(() => video("gen {prompt} {outptu}")).toThrow("--video-cmd: unknown placeholder {outptu} (available: {prompt}, {output}, {seed}, {query})");
    expect(() => video("gen {prompt}")).toThrow("--video-cmd must contain {output}");
    expect(() => video("gen '{prompt}' {output}")).toThrow(/write \{prompt\} without quotes/);
    expect(() => video("  ")).toThrow("--video-cmd is empty");
  });
});
