import { describe, expect, it } from "vitest";
import { parseEnvReport } from "./probe-versions.js";

describe("parseEnvReport", () => {
  it("reads `trl env` (trl/scripts/env.py:58-77): versions, a commit suffix, and 'not installed'", () => {
    const report = "\nCopy-paste the following information when reporting an issue:\n\n- Platform: Linux-6.8.0\n- Python version: 3.11.7\n- TRL version: 1.10.0.dev0+f2cd577\n- PyTorch version: 2.9.0\n- accelerator(s): cpu\n- Transformers version: 5.18.0\n- Accelerate version: 1.15.0\n- Accelerate config: not found\n- DeepSpeed version: not installed\n- PEFT version: 0.18.1\n";
    expect(parseEnvReport(report)).toEqual({ trl: "1.10.0.dev0+f2cd577", torch: "2.9.0", transformers: "5.18.0", accelerate: "1.15.0", deepspeed: null });
  });

  it("reads `llamafactory-cli env` (extras/env.py:36-102), which names itself in backticks and adds (GPU)", () => {
    const report = "\n- `llamafactory` version: 0.9.6.dev0\n- Platform: Linux\n- Python version: 3.11.7\n- PyTorch version: 2.7.1+cu126 (GPU)\n- Transformers version: 5.8.0\n- Datasets version: 4.0.0\n- Accelerate version: 1.11.0\n- PEFT version: 0.17.1\n- GPU type: NVIDIA H100\n- DeepSpeed version: 0.18.4\n";
    expect(parseEnvReport(report)).toEqual({ llamafactory: "0.9.6.dev0", torch: "2.7.1+cu126", transformers: "5.8.0", accelerate: "1.11.0", deepspeed: "0.18.4" });
  });
});
