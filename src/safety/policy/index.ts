export { compileSafetyPolicy, loadSafetyPolicy, policyHash, safetyPolicyFileSchema, SAFETY_ACTIONS, type SafetyAction, type SafetyPolicy } from "./safety-policy.js";
export { policyScreen } from "./policy-screen.js";
