/**
 * Texts a tokenization check should include for any Llama 3 checkpoint: the pre-tokenizer's hard cases (contractions,
 * digit runs, whitespace runs, newlines, punctuation clusters, non-Latin scripts, emoji) and video-prompt-shaped
 * queries. The caller adds the model's own prompt shape (for a VPO model, its input contract).
 */
export const TOKENIZER_EDGE_TEXTS: readonly string[] = [
  "a cat playing piano in a jazz bar",
  "A cute dog on the grass, cinematic lighting, 4k",
  "super mario dancing on the moon -ar 16:9 -motion 2",
  "3 friends drunk in a bar -neg distorted faces -camera zoom in",
  "don't, can't, I'm, you're, they've, he'll, she'd, it's — DON'T SHOUT'S",
  "numbers: 1 12 123 1234 12345 3.14159 1,000,000 2024-06-01 10:30pm",
  "   leading spaces and trailing spaces   ",
  "tabs\tand\t\ttabs, new\nlines\n\n\nand\r\nwindows line ends",
  "punctuation!!! ??? ... ;;; ::: --- ((( ))) [[[ ]]] {{{ }}} @@@ ### $$$ %%% ^^^ &&& ***",
  "Übermäßig schöne Grüße aus Köln, naïve café, façade, São Paulo",
  "一只猫在弹钢琴，电影感，超高清",
  "猫がピアノを弾いている、映画のような照明",
  "고양이가 피아노를 치는 장면",
  "кошка играет на пианино в джаз-баре",
  "قطة تعزف على البيانو",
  "बिल्ली पियानो बजा रही है",
  "emoji 🐱🎹✨🔥 and 👨‍👩‍👧‍👦 family",
  "code: const x = arr.map((v) => v * 2); if (a <= b && c != d) { return; }",
  "URL https://example.com/path?q=1&r=two#frag and e-mail someone@example.org",
  "MiXeD CaSe WoRdS and ALLCAPS and lowercase",
  "Video Prompt:",
  "a very long prompt ".repeat(20).trim(),
  "''''\"\"\"``` quotes ‘curly’ “double” «guillemets»",
  "x",
  " ",
  "",
];
