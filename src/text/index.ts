export { normalizeText, type NormalizedText } from "./normalize.js";
export { decodeEntities } from "./decode-entities.js";
