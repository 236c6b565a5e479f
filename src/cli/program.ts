import { Command, Option } from "commander";
import { curateCommand } from "./commands/curate.js";
import { optimizeCommand } from "./commands/optimize.js";

export const VERSION = "0.1.0";

/** The vpo command tree. Each command lives in commands/<name>.ts and is a thin shell over a library function. */
export function buildProgram(): Command {
  const program = new Command("vpo")
    .description("aligned video prompt optimization: optimize, judge, curate, build VPO data, train, evaluate")
    .version(VERSION)
    .addOption(new Option("-v, --verbose", "debug logging"))
    .addOption(new Option("-q, --quiet", "only warnings and errors"))
    .addOption(new Option("--log-json", "log lines as JSON"))
    .showHelpAfterError("(run with --help for usage)")
    .enablePositionalOptions(false);
  const commands = [optimizeCommand(), curateCommand()];
  for (const command of commands) {
    // Global flags may also follow the command name.
    command
      .addOption(new Option("-v, --verbose", "debug logging").hideHelp())
      .addOption(new Option("-q, --quiet", "only warnings and errors").hideHelp())
      .addOption(new Option("--log-json", "log lines as JSON").hideHelp())
      .showHelpAfterError("(run with --help for usage)")
      .exitOverride();
    program.addCommand(command);
  }
  return program;
}
