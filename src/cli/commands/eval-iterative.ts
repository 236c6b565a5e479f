import { Command, Option } from "commander";
import { UsageError } from "../../errors.js";
import { evaluateIterative } from "../../eval/bench/evaluate-iterative.js";
import { parseInteger } from "../options.js";
import { addVideoEvalOptions, runVideoEval } from "./eval-bench.js";

export function iterativeCommand(): Command {
  const command = new Command("iterative")
    .description("the paper's Table 3: re-optimize each query's prompt up to N times, score every step's video against the ORIGINAL query, count early stops")
    .addOption(new Option("--iterations <n>", "re-optimization steps").argParser(parseInteger(1)).default(4))
    .addOption(new Option("--no-original", "do not score the raw query as step 0"));
  addVideoEvalOptions(command);
  return command.action((_o: unknown, self: Command) => {
    const { iterations, original } = self.opts<{ iterations: number; original: boolean }>();
    return runVideoEval(self, "iterative", (common, systems) => {
      const optimizers = systems.filter((s) => s.optimize);
      if (optimizers.length !== 1 || systems.length !== 1) throw new UsageError("iterative takes one optimizer: --system NAME=<model flags>");
      const system = optimizers[0]!;
      return evaluateIterative({ ...common, system: { ...system, optimize: system.optimize! }, iterations, original });
    });
  });
}
