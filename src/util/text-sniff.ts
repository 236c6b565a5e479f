/**
 * Is it text? A file whose start holds NUL bytes, or is mostly invalid UTF-8 and control characters, is binary data
 * (an image, an archive, random bytes), and reading it as lines of queries would only feed garbage to a model. A text
 * file may still hold a few unreadable lines; those are judged one by one.
 */

/** Bytes read from the start of a file to decide (as git and grep do, a NUL there means binary). */
export const SNIFF_BYTES = 8192;

/** Above this share of unreadable characters a sample or a line is not text. */
const UNREADABLE_SHARE = 0.3;

// C0 controls except tab, LF and CR; DEL; C1 controls; U+FFFD, what the decoder makes of bytes that are not UTF-8.
const UNREADABLE = /[\u0000-\u0008\u000B-\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/g;

const lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

function unreadableShare(text: string): number {
  if (text.length === 0) return 0;
  return (text.match(UNREADABLE)?.length ?? 0) / text.length;
}

/** Why `sample` (the start of a file) is not text, or undefined when it reads as text. */
export function notTextReason(sample: Uint8Array): string | undefined {
  if (sample.includes(0)) return "it contains NUL bytes (binary data)";
  const share = unreadableShare(lenient.decode(sample));
  if (share > UNREADABLE_SHARE) return `${Math.round(share * 100)}% of its first ${sample.length} bytes are not UTF-8 text (invalid UTF-8 or control characters)`;
  return undefined;
}

/** Why one decoded line cannot be read as text, or undefined when it can. `validUtf8`: its bytes decoded strictly. */
export function unreadableLineReason(text: string, validUtf8: boolean): string | undefined {
  if (!validUtf8) return "not valid UTF-8 (convert the file to UTF-8, e.g. iconv -f windows-1252 -t utf-8)";
  if (text.includes("\u0000")) return "contains NUL bytes (binary data)";
  if (unreadableShare(text) > UNREADABLE_SHARE) return "mostly control characters, not text";
  return undefined;
}
