export { loadTokenCounter, estimatedTokenCounter, ESTIMATE_CHARS_PER_TOKEN, type TokenCounter } from "./token-counter.js";
export { tokenizerJsonFromGguf } from "./tokenizer-json-from-gguf.js";
export { llama3ChatText, chatTokens } from "./chat-tokens.js";
