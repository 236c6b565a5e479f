export { parseCommandTemplate, renderCommand, shellQuote, type CommandTemplate } from "./shell-template.js";
export { runDurableJob, removeJob, type DurableJobOptions, type JobOutcome } from "./durable-job.js";
