import { Command, Option } from "commander";
import { join } from "node:path";
import { env } from "../../config.js";
import { renderReviewReport, reviewReport, ReviewStore } from "../../review/index.js";

const DEFAULT_STORE = () => join(env.home(), "reviews.sqlite");
const storeOption = () => new Option("--store <file>", "the review store (SQLite)").default(undefined, "$VPO_HOME/reviews.sqlite");

function withStore<T>(path: string | undefined, use: (store: ReviewStore) => T): T {
  const store = ReviewStore.open(path ?? DEFAULT_STORE());
  try {
    return use(store);
  } finally {
    store.close();
  }
}

export function reviewCommand(): Command {
  const review = new Command("review").description("blind A/B human review of two systems' outputs (served by vpo serve --reviews STORE at /review/NAME)");
  const create = new Command("create")
    .description("make a review set from two JSONL files of {query, prompt, video?} for the same queries")
    .requiredOption("--name <name>", "the review's name (its page is /review/NAME)")
    .requiredOption("--a <file>", "system A's outputs (JSONL)")
    .requiredOption("--b <file>", "system B's outputs (JSONL)")
    .addOption(new Option("--a-label <text>", "system A's name in reports (default: its file name)"))
    .addOption(new Option("--b-label <text>", "system B's name in reports (default: its file name)"))
    .addOption(storeOption())
    .action((flags: { name: string; a: string; b: string; aLabel?: string; bLabel?: string; store?: string }) => {
      const info = withStore(flags.store, (store) =>
        store.create({ name: flags.name, a: flags.a, b: flags.b, ...(flags.aLabel ? { aLabel: flags.aLabel } : {}), ...(flags.bLabel ? { bLabel: flags.bLabel } : {}) }),
      );
      process.stdout.write(`review ${info.name}: ${info.items} items (A = ${info.labels.a}, B = ${info.labels.b}) in ${flags.store ?? DEFAULT_STORE()}\nserve it with: vpo serve --reviews ${flags.store ?? DEFAULT_STORE()}  → /review/${info.name}\n`);
    });
  const report = new Command("report")
    .description("win / tie / loss per question with 95% confidence intervals, and agreement between reviewers")
    .argument("<name>", "the review's name")
    .addOption(new Option("--json", "print the report as JSON"))
    .addOption(storeOption())
    .action((name: string, flags: { json?: boolean; store?: string }) => {
      const result = withStore(flags.store, (store) => reviewReport(store, name));
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderReviewReport(result)}\n`);
    });
  for (const sub of [create, report]) review.addCommand(sub.showHelpAfterError("(run with --help for usage)").exitOverride());
  return review;
}
