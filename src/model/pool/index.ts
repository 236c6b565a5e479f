export { PooledModel, type PoolEvent, type PoolOptions, type PooledModelOptions } from "./pooled-model.js";
export { openPooledModel, splitBaseUrls, type PooledModelSpec } from "./open-pooled-model.js";
export { checkEndpoint, type HealthOutcome } from "./health-check.js";
export { isEndpointFailure } from "./endpoint-failure.js";
export { endpointReport, describeEndpoints, type EndpointReport } from "./endpoint-report.js";
