export { shotSchema, shotPlanSchema, shotPlanJsonSchema, MAX_SHOT_SECONDS, type Shot } from "./shot.js";
export { joinShots, DEFAULT_SHOT_SYNTAX, DEFAULT_SHOT_SEPARATOR, type JoinShotsOptions } from "./join-shots.js";
export { planShots, type PlanShotsOptions, type ShotPlan } from "./plan-shots.js";
