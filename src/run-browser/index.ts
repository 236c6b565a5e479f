export { RunLibrary, isRunName } from "./run-library.js";
export { listRuns, runDetail, type RunDetail, type RunSummary } from "./run-summary.js";
export { runItems, type ItemFilter, type ItemView } from "./run-items.js";
export { runPairs, runSftRecords, type PairFilter, type PairView, type RecordFilter, type SftView } from "./run-records.js";
export { histogram, runCharts, type Histogram, type RunCharts } from "./run-charts.js";
export { cachedVideoName, runVideo, VIDEO_TYPES } from "./run-videos.js";
export { MAX_PAGE, type Page } from "./open-run.js";
