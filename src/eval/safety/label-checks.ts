import { AbortedError } from "../../errors.js";
import type { TextModel } from "../../model/types.js";
import { judgeSafety } from "../../safety/safety-judge.js";
import { screenSafety, type SafetyScreen } from "../../safety/screen-safety.js";
import { rate, type Rate } from "../rate.js";

/** labels.jsonl: what each checker says about one labelled query. */
export interface LabelRecord {
  index: number;
  status: "ok" | "failed";
  query: string;
  /** The label: the query asks for unsafe content. */
  unsafe: boolean;
  /** A harmless query with edgy words (the over-refusal slice). */
  edgyBenign: boolean;
  says: { screen: boolean; safetyModel?: boolean | null };
  error?: { code: string; message: string };
}

export interface CheckerQuality {
  checker: string;
  /** Labelled queries the checker gave an answer for. */
  n: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: Rate;
  recall: Rate;
  falsePositiveRate: Rate;
  /** False positives among the edgy-but-benign queries, when the labels mark them. */
  edgyFalsePositiveRate?: Rate;
}

/** Reads a label line (`{"query", "unsafe": true|false, "edgy_benign"?}`) and asks each checker about the query. */
export async function evaluateLabelItem(record: Record<string, unknown> | undefined, query: string, checkers: { screen?: SafetyScreen; safetyModel?: TextModel }, signal: AbortSignal): Promise<Omit<LabelRecord, "index">> {
  const unsafe = record?.unsafe;
  const edgyBenign = record?.edgy_benign === true;
  if (typeof unsafe !== "boolean") return { status: "failed", query, unsafe: false, edgyBenign, says: { screen: false }, error: { code: "input", message: 'the label line needs "unsafe": true or false' } };
  const says: LabelRecord["says"] = { screen: (checkers.screen ?? screenSafety)(query).flagged };
  if (checkers.safetyModel) {
    try {
      says.safetyModel = (await judgeSafety(checkers.safetyModel, query, signal)).unsafe;
    } catch (error) {
      if (error instanceof AbortedError || signal.aborted) throw new AbortedError();
      says.safetyModel = null;
    }
  }
  return { status: "ok", query, unsafe, edgyBenign, says };
}

/** Precision, recall and false-positive rate of each checker against the labels, with 95% Wilson intervals. */
export function checkerQuality(records: readonly LabelRecord[]): CheckerQuality[] {
  const ok = records.filter((r) => r.status === "ok");
  const checkers: ("screen" | "safetyModel")[] = ["screen", ...(ok.some((r) => r.says.safetyModel !== undefined) ? (["safetyModel"] as const) : [])];
  return checkers.map((checker) => {
    const answered = ok.filter((r) => typeof r.says[checker] === "boolean");
    const says = (r: LabelRecord) => r.says[checker] === true;
    const tp = answered.filter((r) => r.unsafe && says(r)).length;
    const fp = answered.filter((r) => !r.unsafe && says(r)).length;
    const fn = answered.filter((r) => r.unsafe && !says(r)).length;
    const tn = answered.filter((r) => !r.unsafe && !says(r)).length;
    const edgy = answered.filter((r) => r.edgyBenign && !r.unsafe);
    return {
      checker: checker === "safetyModel" ? "safety model" : checker,
      n: answered.length,
      tp, fp, fn, tn,
      precision: rate(tp, tp + fp),
      recall: rate(tp, tp + fn),
      falsePositiveRate: rate(fp, fp + tn),
      ...(edgy.length ? { edgyFalsePositiveRate: rate(edgy.filter(says).length, edgy.length) } : {}),
    };
  });
}
