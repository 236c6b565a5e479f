import { Option, type Command } from "commander";

/** Global flags may follow a sub-command too (vpo train sft … -v). */
export function withGlobalFlags(command: Command): Command {
  return command
    .addOption(new Option("-v, --verbose", "debug logging (and the engine's own output)").hideHelp())
    .addOption(new Option("-q, --quiet", "only warnings and errors").hideHelp())
    .addOption(new Option("--log-json", "log lines as JSON").hideHelp())
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
}

