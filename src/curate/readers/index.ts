export { openInput, inputFormatOf } from "./open-input.js";
export { splitCsvRecord } from "./csv-record.js";
export { DETOXIFY_COLUMNS, isMalformed, type InputFormat, type InputItem, type InputRow, type InputSource, type MalformedRow } from "./types.js";
