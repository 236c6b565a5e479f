/** Text a video must show, as Pika writes it into a query: "Message: LIFE IS GOOD (Font: SANS SERIF)". */
export interface OnScreenText {
  /** The words to show, exactly as typed. */
  text: string;
  font?: string;
}

const MESSAGE = /\bmessage:[ \t]*([^\n(]{1,120}?)[ \t]*\(font:[ \t]*([^)\n]{0,40})\)/i;

/** Pika's on-screen text in a query, when it holds one, with the span of the whole "Message: … (Font: …)". */
export function readOnScreenText(text: string): (OnScreenText & { start: number; end: number }) | undefined {
  const m = MESSAGE.exec(text);
  if (!m || !m[1]!.trim()) return undefined;
  const font = m[2]!.trim();
  return { text: m[1]!.trim(), ...(font ? { font } : {}), start: m.index, end: m.index + m[0].length };
}
