/**
 * How many CPU cores this process may really use: the smallest of the cgroup CPU quota (v2 `cpu.max`, v1
 * `cpu.cfs_quota_us` / `cpu.cfs_period_us`, on the process's cgroup and every ancestor), the CPUs it may be scheduled
 * on (`os.availableParallelism()`, which honours affinity masks) and the physical cores among those CPUs (from
 * /proc/cpuinfo; hyper-threads share one core's arithmetic units). Compute-bound thread pools sized above this only
 * add contention: llama.cpp with 4 threads on a 2-core VM is 20× slower than with 1 or 2.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, posix } from "node:path";

export interface CpuBudget {
  /** The cores to use: the minimum of the known limits, at least 1. */
  cores: number;
  /** os.availableParallelism(): CPUs the scheduler may run this process on. */
  availableParallelism: number;
  /** CPU time the cgroups allow, in whole cores (floor, at least 1); undefined when unlimited or unknown. */
  cgroupQuota?: number;
  /** Distinct physical cores among the CPUs this process may run on; undefined when /proc/cpuinfo does not say. */
  physicalCores?: number;
}

/** Cores allowed by a cgroup v2 `cpu.max` ("QUOTA PERIOD" or "max PERIOD"); undefined when unlimited. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period = "100000"] = text.trim().split(/\s+/);
  if (!quota || quota === "max") return undefined;
  return quotaCores(Number(quota), Number(period));
}

/** Cores allowed by cgroup v1 `cpu.cfs_quota_us` and `cpu.cfs_period_us`; undefined when unlimited (-1). */
export function parseCfsQuota(quota: string, period: string): number | undefined {
  return quotaCores(Number(quota.trim()), Number(period.trim()));
}

function quotaCores(quota: number, period: number): number | undefined {
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) return undefined;
  // A fractional quota (1.5 cores) cannot keep a second busy thread fed: round down, but never below one.
  return Math.max(1, Math.floor(quota / period));
}

/** The CPU numbers of a list such as `Cpus_allowed_list` in /proc/self/status ("0-3,8,10-11"). */
export function parseCpuList(text: string): Set<number> {
  const cpus = new Set<number>();
  for (const part of text.trim().split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const last = Number(m[2] ?? m[1]);
    for (let cpu = Number(m[1]); cpu <= last; cpu++) cpus.add(cpu);
  }
  return cpus;
}

/**
 * Physical cores in /proc/cpuinfo text: distinct (physical id, core id) pairs among the `allowed` processors (all
 * when not given). Without core ids it falls back to sockets × `cpu cores`, scaled by `cpu cores` / `siblings` when
 * only some processors are allowed; undefined when the text says neither (e.g. many ARM kernels).
 */
export function physicalCoresFromCpuinfo(text: string, allowed?: Set<number>): number | undefined {
  const blocks = text.split(/\n\s*\n/).map((block) => {
    const fields = new Map<string, string>();
    for (const line of block.split("\n")) {
      const at = line.indexOf(":");
      if (at > 0) fields.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
    }
    return fields;
  });
  const processors = blocks.filter((f) => f.has("processor") && (!allowed || allowed.has(Number(f.get("processor")))));
  if (processors.length === 0) return undefined;
  if (processors.every((f) => f.has("core id"))) {
    return new Set(processors.map((f) => `${f.get("physical id") ?? "0"}:${f.get("core id")}`)).size;
  }
  const first = processors[0]!;
  const coresPerSocket = Number(first.get("cpu cores"));
  const siblings = Number(first.get("siblings"));
  if (!(coresPerSocket > 0 && siblings >= coresPerSocket)) return undefined;
  return Math.max(1, Math.floor((processors.length * coresPerSocket) / siblings));
}

/** What `cgroupQuota` reads; each returns undefined when the file is absent. */
export interface CgroupFiles {
  /** /proc/self/mountinfo */
  mountinfo: string | undefined;
  /** /proc/self/cgroup */
  cgroup: string | undefined;
  read: (path: string) => string | undefined;
}

interface CgroupMount {
  version: 1 | 2;
  root: string;
  mountPoint: string;
}

function cpuMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const [, , , root, mountPoint] = left.split(" ");
    const [fsType, , superOptions = ""] = right.split(" ");
    if (!root || !mountPoint) continue;
    if (fsType === "cgroup2") mounts.push({ version: 2, root, mountPoint });
    else if (fsType === "cgroup" && superOptions.split(",").includes("cpu")) mounts.push({ version: 1, root, mountPoint });
  }
  return mounts;
}

/** The process's cgroup path for a hierarchy: v2's "0::PATH" line, or the v1 line whose controllers include cpu. */
function cgroupPath(cgroup: string, version: 1 | 2): string | undefined {
  for (const line of cgroup.split("\n")) {
    const [id, controllers, ...rest] = line.split(":");
    const path = rest.join(":");
    if (version === 2 && id === "0" && controllers === "") return path;
    if (version === 1 && controllers?.split(",").includes("cpu")) return path;
  }
  return undefined;
}

/** The tightest CPU quota on the process's cgroup or any ancestor visible in the mount, in whole cores. */
export function cgroupQuota(files: CgroupFiles): number | undefined {
  if (!files.mountinfo || !files.cgroup) return undefined;
  let tightest: number | undefined;
  for (const mount of cpuMounts(files.mountinfo)) {
    const path = cgroupPath(files.cgroup, mount.version);
    if (path === undefined) continue;
    // A mount of a sub-tree (container) shows the cgroup relative to its root.
    let relative = mount.root !== "/" && path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
    for (;;) {
      const dir = join(mount.mountPoint, relative);
      const cores =
        mount.version === 2
          ? parseOptional(files.read(join(dir, "cpu.max")), parseCpuMax)
          : parseOptional(files.read(join(dir, "cpu.cfs_quota_us")), (q) => parseOptional(files.read(join(dir, "cpu.cfs_period_us")), (p) => parseCfsQuota(q, p)));
      if (cores !== undefined) tightest = Math.min(tightest ?? cores, cores);
      if (relative === "/" || relative === "" || relative === ".") break;
      relative = posix.dirname(relative);
    }
  }
  return tightest;
}

function parseOptional<T>(text: string | undefined, parse: (text: string) => T | undefined): T | undefined {
  return text === undefined ? undefined : parse(text);
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** This process's CPU budget, read from the OS (Linux files where present; elsewhere availableParallelism alone). */
export function cpuBudget(): CpuBudget {
  const available = availableParallelism();
  const quota = cgroupQuota({ mountinfo: readOrUndefined("/proc/self/mountinfo"), cgroup: readOrUndefined("/proc/self/cgroup"), read: readOrUndefined });
  const cpuinfo = readOrUndefined("/proc/cpuinfo");
  const allowedList = /^Cpus_allowed_list:\s*(.+)$/m.exec(readOrUndefined("/proc/self/status") ?? "")?.[1];
  const physical = cpuinfo === undefined ? undefined : physicalCoresFromCpuinfo(cpuinfo, allowedList ? parseCpuList(allowedList) : undefined);
  const cores = Math.max(1, Math.min(available, quota ?? Infinity, physical ?? Infinity));
  return { cores, availableParallelism: available, ...(quota !== undefined && { cgroupQuota: quota }), ...(physical !== undefined && { physicalCores: physical }) };
}
