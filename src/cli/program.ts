import { Command, Option } from "commander";
import { createSafetyScreen } from "../safety/screen-safety.js";
import { evalCommand } from "./commands/eval.js";
import { judgeCommand } from "./commands/judge.js";
import { convertCommand } from "./commands/convert.js";
import { curateCommand } from "./commands/curate.js";
import { dataCommand } from "./commands/data.js";
import { optimizeCommand } from "./commands/optimize.js";
import { pullCommand } from "./commands/pull.js";
import { reviewCommand } from "./commands/review.js";
import { queueCommand } from "./commands/queue.js";
import { runCommand } from "./commands/run.js";
import { serveCommand } from "./commands/serve.js";
import { targetsCommand } from "./commands/targets.js";
import { trainCommand } from "./commands/train.js";
import { workerCommand } from "./commands/worker.js";

export const VERSION = "0.1.0";

/** The vpo command tree. Each command lives in commands/<name>.ts and is a thin shell over a library function. */
export function buildProgram(): Command {
  const program = new Command("vpo")
    .description("aligned video prompt optimization: optimize, judge, curate, build VPO data, train, evaluate")
    .version(VERSION)
    .addOption(new Option("-v, --verbose", "debug logging"))
    .addOption(new Option("-q, --quiet", "only warnings and errors"))
    .addOption(new Option("--log-json", "log lines as JSON"))
    .showHelpAfterError("(run with --help for usage)");
  const commands = [
    optimizeCommand(),
    judgeCommand(),
    evalCommand(),
    curateCommand({ safetyScreen: createSafetyScreen() }),
    dataCommand(),
    runCommand(),
    trainCommand(),
    pullCommand(),
    convertCommand(),
    serveCommand(),
    reviewCommand(),
    workerCommand(),
    queueCommand(),
    targetsCommand(),
  ];
  for (const command of commands) {
    // Global flags may stand anywhere on the line; actions read them with optsWithGlobals().
    command.showHelpAfterError("(run with --help for usage)").exitOverride();
    program.addCommand(command);
  }
  return program;
}
