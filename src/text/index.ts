export { normalizeText, type NormalizedText } from "./normalize.js";
