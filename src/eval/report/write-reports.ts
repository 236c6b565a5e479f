import { join } from "node:path";
import { writeFileAtomic } from "../../util/files.js";
import type { ReportDocument } from "./document.js";
import { toHtml, toMarkdown } from "./document.js";

/** report.json (the data), report.md and report.html (the same content; the HTML with static SVG charts). */
export async function writeReports(out: string, report: unknown, doc: ReportDocument): Promise<{ json: string; markdown: string; html: string }> {
  const paths = { json: join(out, "report.json"), markdown: join(out, "report.md"), html: join(out, "report.html") };
  await writeFileAtomic(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(paths.markdown, toMarkdown(doc));
  await writeFileAtomic(paths.html, toHtml(doc));
  return paths;
}
