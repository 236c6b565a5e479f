import { cpuBudget } from "../../util/cpu-budget.js";

/**
 * llama.cpp threads when neither `threads` nor VPO_THREADS is given: the cores this process may use (cgroup quota,
 * affinity, physical cores; see cpuBudget). node-llama-cpp's own CPU default is at least 4 threads, which on a 2-core
 * machine or a CPU-limited container makes every token wait on preempted threads (20× slower than 1–2 threads).
 */
export function defaultLlamaThreads(): number {
  return cpuBudget().cores;
}
