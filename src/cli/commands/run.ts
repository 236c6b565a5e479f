import { Command, Option } from "commander";
import { DPO_STAGE_ORDER } from "../../pipeline/records.js";
import { runStatus, type RunStatus } from "../../store/status.js";
import { parseInteger } from "../options.js";

function render(status: RunStatus): string {
  const { run, stages, failures, sessions } = status;
  const out: string[] = [];
  const state = status.active ? "running now" : sessions.last?.outcome ?? "idle";
  out.push(`run ${run.id} (${run.pipeline}) in ${status.dir}, started ${run.createdAt}`);
  out.push(`${sessions.started} invocation(s), ${sessions.crashed} ended by a crash or kill; last: ${state}`);
  out.push("");
  const rows = [["stage", "done", "failed", "pending", "running"], ...stages.map((s) => [s.stage, String(s.done), String(s.failed), String(s.pending), String(s.running)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out.push(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  "));
  if (failures.length) {
    out.push("", "failures:");
    for (const f of failures) out.push(`  ${f.count}× ${f.stage}${f.step ? `/${f.step}` : ""} [${f.code}]: ${f.message} (e.g. ${f.examples.join(", ")})`);
    out.push("", `re-run the same \`vpo data ${run.pipeline}\` command with --retry-failed to retry them (steps that worked are kept)`);
  }
  return out.join("\n");
}

export function runCommand(): Command {
  const run = new Command("run").description("inspect pipeline runs (directories written by vpo data sft/dpo)");
  const status = new Command("status")
    .description("per-stage counts (done / failed / pending / running) and failure reasons of a run directory")
    .argument("<dir>", "the --out directory of a vpo data run")
    .addOption(new Option("--json", "print the status as JSON"))
    .addOption(new Option("--failures <n>", "distinct failure reasons to list").argParser(parseInteger(0)).default(20))
    .action((dir: string, flags: { json?: boolean; failures: number }) => {
      const result = runStatus(dir, { stageOrder: ["sft", ...DPO_STAGE_ORDER], failureLimit: flags.failures });
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${render(result)}\n`);
    });
  run.addCommand(status.showHelpAfterError("(run with --help for usage)").exitOverride());
  return run;
}
