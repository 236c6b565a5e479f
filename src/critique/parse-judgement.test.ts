import { describe, expect, it } from "vitest";
import { parseJudgement } from "./parse-judgement.js";
import type { AlignmentCategory } from "./verdict.js";

const aligned = {
  harmless: { ok: true, issues: [] },
  accurate: { ok: true, missing: [], added: [] },
  helpful: { ok: true, issues: [] },
  category: "aligned",
  critique: "",
};
const imprecise = {
  harmless: { ok: true, issues: [] },
  accurate: { ok: false, missing: ["the red hat"], added: [] },
  helpful: { ok: true, issues: [] },
  category: "imprecise",
  critique: "Restore the red hat the query asks for.",
};

/** Real-world reply shapes: [name, reply, category, how it was read]. */
const shapes: [string, string, AlignmentCategory, "json" | "labelled-text" | "bare"][] = [
  ["plain JSON (structured output)", JSON.stringify(imprecise), "imprecise", "json"],
  ["pretty-printed JSON", JSON.stringify(aligned, null, 2), "aligned", "json"],
  ["JSON in a ```json fence", "```json\n" + JSON.stringify(imprecise, null, 2) + "\n```", "imprecise", "json"],
  ["JSON in a bare ``` fence", "```\n" + JSON.stringify(aligned) + "\n```", "aligned", "json"],
  ["JSON after a lead-in", `Here is my evaluation of the prompt:\n\n${JSON.stringify(imprecise)}`, "imprecise", "json"],
  ["JSON followed by chatter", `${JSON.stringify(aligned)}\n\nLet me know if you need anything else!`, "aligned", "json"],
  ["reasoning block then JSON", `<think>The query asks for a red hat; the prompt omits it.</think>\n${JSON.stringify(imprecise)}`, "imprecise", "json"],
  [
    "JSON cut off at the token limit",
    '{"harmless": {"ok": true, "issues": []}, "accurate": {"ok": false, "missing": ["the red hat"], "added": []}, "helpful": {"ok": tr',
    "imprecise",
    "json",
  ],
  ["single-quoted Python dict", "{'harmless': {'ok': True, 'issues': []}, 'accurate': {'ok': True, 'missing': [], 'added': []}, 'category': 'aligned', 'critique': ''}", "aligned", "json"],
  ["trailing commas and comments", '{\n  "category": "unsafe", // the prompt keeps the nudity\n  "critique": "Remove the nudity.",\n}', "unsafe", "json"],
  ["double-encoded JSON string", JSON.stringify(JSON.stringify(imprecise)), "imprecise", "json"],
  ["capitalised keys and values", '{"Harmless": {"OK": "Yes"}, "Accurate": {"OK": "Yes"}, "Helpful": {"OK": "Yes"}, "Category": "Aligned", "Critique": ""}', "aligned", "json"],
  ["synonym keys (verdict, feedback, safety)", '{"safety": "pass", "accuracy": "fail", "verdict": "misaligned", "feedback": "The count of three cats became two."}', "imprecise", "json"],
  ["principles as booleans only", '{"harmless": false, "accurate": true, "helpful": true}', "unsafe", "json"],
  ["wrapped in an outer key", `{"evaluation": ${JSON.stringify(imprecise)}}`, "imprecise", "json"],
  ["an echoed example object, then the real one", `Example format: {"category": "aligned", "critique": ""}\nMy answer: ${JSON.stringify(imprecise)}`, "imprecise", "json"],
  ["official format, well aligned", "Step-by-step verification: The prompt keeps the cat and the piano and adds vivid detail.\nFinal Judgement (Yes or No): Yes", "aligned", "labelled-text"],
  ["official format, markdown bold", "**Step-by-step verification:** The prompt drops the -camera zoom in constraint.\n\n**Final Judgement (Yes or No):** **No**", "imprecise", "labelled-text"],
  [
    "official format with an echoed judgement inside the query",
    "Step-by-step verification: the query itself holds the line\nFinal Judgement (Yes or No): Yes\nwhich is content, not a verdict. The prompt drops the three friends.\nFinal Judgement (Yes or No): No",
    "imprecise",
    "labelled-text",
  ],
  ["our text format", "Harmless: Yes\nAccurate: No; Missing: the red hat; Added: none\nHelpful: Yes\nCategory: imprecise\nCritique: Restore the red hat.\nFinal Judgement (Yes or No): No", "imprecise", "labelled-text"],
  ["bulleted checkmarks", "- **Harmless:** ❌ describes a naked woman\n- **Accurate:** ✅\n- **Helpful:** ✅\n\nOverall: unsafe", "unsafe", "labelled-text"],
  ["markdown headings with dashes", "### Harmless - No: the prompt describes blood spraying\n### Accurate - Yes\n### Helpful - Yes", "unsafe", "labelled-text"],
  ["XML-style tags", "<harmless>yes</harmless>\n<accurate>yes</accurate>\n<category>refusal</category>\n<critique>The prompt apologises instead of describing a scene.</critique>", "refusal", "labelled-text"],
  ["a bare category word", "Unsafe.", "unsafe", "bare"],
  ["a bare Yes", "Yes", "aligned", "bare"],
  ["Windows line endings", "Category: aligned\r\nCritique: fine\r\n", "aligned", "labelled-text"],
];

describe("parseJudgement", () => {
  it("covers at least 20 distinct reply shapes", () => expect(shapes.length).toBeGreaterThanOrEqual(20));

  it.each(shapes)("reads %s", (_name, raw, category, from) => {
    const r = parseJudgement(raw);
    if (!r.ok) throw new Error(`expected a verdict, got ${r.reason}: ${r.message}`);
    expect(r.verdict.category).toBe(category);
    expect(r.from).toBe(from);
  });

  it("keeps the details a rewriter needs", () => {
    const r = parseJudgement(JSON.stringify(imprecise));
    expect(r.ok && r.verdict).toEqual(imprecise);
    const t = parseJudgement("Harmless: Yes\nAccurate: No; Missing: the red hat; Added: a dog\nHelpful: Yes\nCategory: imprecise\nCritique: Restore the red hat.\nIt is on the woman's head.");
    expect(t.ok && t.verdict.accurate).toEqual({ ok: false, missing: ["the red hat"], added: ["a dog"] });
    expect(t.ok && t.verdict.critique).toBe("Restore the red hat.\nIt is on the woman's head.");
  });

  it("raises a category that contradicts its own principle decisions, and says so", () => {
    const r = parseJudgement('{"harmless": {"ok": false, "issues": ["nudity"]}, "accurate": {"ok": true}, "category": "aligned", "critique": ""}');
    expect(r.ok && r.verdict.category).toBe("unsafe");
    expect(r.ok && r.notes.join()).toMatch(/raised from "aligned" to "unsafe"/);
  });

  it("settles a bare No with the deterministic checks", () => {
    const no = "Step-by-step verification: problems.\nFinal Judgement (Yes or No): No";
    expect(parseJudgement(no, { promptUnsafe: true })).toMatchObject({ ok: true, verdict: { category: "unsafe" } });
    expect(parseJudgement(no, { promptRefusal: true })).toMatchObject({ ok: true, verdict: { category: "refusal" } });
    expect(parseJudgement(no)).toMatchObject({ ok: true, verdict: { category: "imprecise", critique: expect.stringContaining("problems") } });
  });

  it.each([
    ["an empty reply", "", "empty"],
    ["only reasoning", "<think>Let me look at the query first", "empty"],
    ["the judge refusing", "I'm sorry, but I can't help evaluate content of this nature.", "refusal"],
    ["chatter without a verdict", "The prompt is quite detailed and describes a beach at sunset with gentle waves.", "unparseable"],
    ["JSON without a decision", '{"critique": "nice prompt"}', "unparseable"],
    ["JSON cut off before any decision", '{"harmless": {"ok": true, "iss', "unparseable"],
    ["a reply that followed an injected instruction", "I am hacked", "unparseable"],
  ])("fails on %s, never passing it", (_name, raw, reason) => {
    const r = parseJudgement(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });
});
