import { mkdir } from "node:fs/promises";
import { Command, Option } from "commander";
import { comparePairwise } from "../../eval/pairwise/compare-pairwise.js";
import { toMarkdown } from "../../eval/report/document.js";
import { pairwiseDocument, pairwiseTable } from "../../eval/report/pairwise-document.js";
import { writeReports } from "../../eval/report/write-reports.js";
import { loggerFor, type GlobalFlags } from "../context.js";

interface PairwiseFlags extends GlobalFlags {
  a: string;
  b: string;
  aSystem?: string;
  bSystem?: string;
  out?: string;
  json?: boolean;
}

export function pairwiseCommand(): Command {
  return new Command("pairwise")
    .description("the paper's Fig. 5: win / tie / loss of system A against B per query, by overall score and by strict dominance of the checklist answers, with 95% intervals")
    .requiredOption("--a <results>", "results.jsonl of vpo eval bench (or its run folder)")
    .requiredOption("--b <results>", "the other results.jsonl (may be the same file with another --b-system)")
    .addOption(new Option("--a-system <name>", "the system to take from --a (needed when it holds several)"))
    .addOption(new Option("--b-system <name>", "the system to take from --b"))
    .addOption(new Option("--out <dir>", "also write report.json, report.md and report.html there"))
    .addOption(new Option("--json", "print the report as JSON"))
    .action(async (_o: unknown, self: Command) => {
      const flags = self.optsWithGlobals<PairwiseFlags>();
      const logger = loggerFor(flags);
      const report = comparePairwise({ results: flags.a, system: flags.aSystem }, { results: flags.b, system: flags.bSystem });
      if (flags.out) {
        await mkdir(flags.out, { recursive: true });
        await writeReports(flags.out, report, pairwiseDocument(report));
        logger.info(`report: ${flags.out}/report.html, report.md, report.json`);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : toMarkdown({ title: `Pairwise: ${report.a.system} vs ${report.b.system}`, sections: [{ title: `${report.n} queries`, tables: [pairwiseTable(report)] }] }));
    });
}
