/** Words and characters of a prompt (video models' text encoders cut long prompts: CogVideoX reads 226 tokens). */
export function PromptLength({ text }: { text: string }) {
  const words = text.trim() ? text.trim().split(/\s+/).length : 0;
  return (
    <span class="muted small-print" data-testid="prompt-length">
      {words} words · {[...text].length} chars
    </span>
  );
}
