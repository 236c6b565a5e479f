/** A report as data: sections of paragraphs, tables and charts, rendered once as Markdown and once as HTML. */
export interface Table {
  caption?: string;
  head: string[];
  rows: string[][];
  /** Columns after the first are right-aligned numbers unless said otherwise. */
  align?: ("left" | "right")[];
}

export interface Section {
  title: string;
  paragraphs?: string[];
  tables?: Table[];
  /** Static SVG charts (HTML only; Markdown readers get the tables). */
  charts?: string[];
  list?: string[];
}

export interface ReportDocument {
  title: string;
  subtitle?: string;
  sections: Section[];
}

const escapeMd = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function tableMarkdown(t: Table): string {
  const align = t.head.map((_, i) => t.align?.[i] ?? (i === 0 ? "left" : "right"));
  return [
    ...(t.caption ? [`*${t.caption}*`, ""] : []),
    `| ${t.head.map(escapeMd).join(" | ")} |`,
    `|${align.map((a) => (a === "right" ? "---:" : "---")).join("|")}|`,
    ...t.rows.map((r) => `| ${r.map(escapeMd).join(" | ")} |`),
  ].join("\n");
}

export function toMarkdown(doc: ReportDocument): string {
  const out = [`# ${doc.title}`, ""];
  if (doc.subtitle) out.push(doc.subtitle, "");
  for (const s of doc.sections) {
    out.push(`## ${s.title}`, "");
    for (const p of s.paragraphs ?? []) out.push(p, "");
    for (const t of s.tables ?? []) out.push(tableMarkdown(t), "");
    if (s.list?.length) out.push(...s.list.map((l) => `- ${l}`), "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Markdown's `code` spans and **bold** in HTML. */
const inline = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");

function tableHtml(t: Table): string {
  const align = t.head.map((_, i) => t.align?.[i] ?? (i === 0 ? "left" : "right"));
  const cell = (tag: string, v: string, i: number) => `<${tag} class="${align[i]}">${inline(v)}</${tag}>`;
  return [
    "<table>",
    ...(t.caption ? [`<caption>${inline(t.caption)}</caption>`] : []),
    `<thead><tr>${t.head.map((h, i) => cell("th", h, i)).join("")}</tr></thead>`,
    `<tbody>${t.rows.map((r) => `<tr>${r.map((v, i) => cell(i === 0 ? "th" : "td", v, i)).join("")}</tr>`).join("")}</tbody>`,
    "</table>",
  ].join("");
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.subtitle{color:#555}table{border-collapse:collapse;margin:1em 0;font-size:.9em}caption{text-align:left;color:#555;padding-bottom:.3em}
th,td{border-bottom:1px solid #e3e3e3;padding:.3em .7em;white-space:nowrap}thead th{border-bottom:2px solid #aaa}
.right{text-align:right;font-variant-numeric:tabular-nums}.left{text-align:left}code{background:#f4f4f4;padding:0 .2em;border-radius:3px}
.charts{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}.charts figure{margin:0}
.charts figure h2{font-size:.95em;border:none;margin:0 0 .3em;padding:0}`;

export function toHtml(doc: ReportDocument): string {
  const body = doc.sections.map((s) =>
    [
      `<section><h2>${escapeHtml(s.title)}</h2>`,
      ...(s.paragraphs ?? []).map((p) => `<p>${inline(p)}</p>`),
      ...(s.charts?.length ? [`<div class="charts">${s.charts.join("")}</div>`] : []),
      ...(s.tables ?? []).map(tableHtml),
      ...(s.list?.length ? [`<ul>${s.list.map((l) => `<li>${inline(l)}</li>`).join("")}</ul>`] : []),
      "</section>",
    ].join("\n"),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(doc.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(doc.title)}</h1>${doc.subtitle ? `<p class="subtitle">${inline(doc.subtitle)}</p>` : ""}
${body.join("\n")}
</body></html>
`;
}
