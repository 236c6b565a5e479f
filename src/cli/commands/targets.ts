import { Command, Option } from "commander";
import { loadTargets } from "../../target/registry.js";
import { targetsMarkdown } from "../../target/targets-table.js";

interface TargetsFlags {
  targetsFile?: string;
  json?: boolean;
}

export function targetsCommand(): Command {
  return new Command("targets")
    .description("list the video models --target knows: text encoder and token limit, languages, length guide, negative prompt, aspect ratios, frame rates")
    .addOption(new Option("--targets-file <file>", "also list your own profiles (JSON or YAML)"))
    .addOption(new Option("--json", "print the profiles with their sources"))
    .action(async (_local: unknown, self: Command) => {
      const flags = self.optsWithGlobals<TargetsFlags>();
      const profiles = (await loadTargets({ targetsFile: flags.targetsFile })).list();
      process.stdout.write(flags.json ? `${JSON.stringify(profiles, null, 2)}\n` : `${targetsMarkdown(profiles)}\n`);
    });
}
