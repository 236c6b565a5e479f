import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { cgroupQuota, cpuBudget, parseCfsQuota, parseCpuList, parseCpuMax, physicalCoresFromCpuinfo } from "./cpu-budget.js";

describe("cgroup quota parsing", () => {
  it("reads cgroup v2 cpu.max: unlimited, whole and fractional cores (rounded down, at least one)", () => {
    expect(parseCpuMax("max 100000\n")).toBeUndefined();
    expect(parseCpuMax("200000 100000\n")).toBe(2);
    expect(parseCpuMax("150000 100000")).toBe(1);
    expect(parseCpuMax("50000 100000")).toBe(1);
    expect(parseCpuMax("400000 50000")).toBe(8);
    expect(parseCpuMax("")).toBeUndefined();
  });

  it("reads cgroup v1 cfs quota and period: -1 is unlimited", () => {
    expect(parseCfsQuota("-1\n", "100000\n")).toBeUndefined();
    expect(parseCfsQuota("300000\n", "100000\n")).toBe(3);
    expect(parseCfsQuota("garbage", "100000")).toBeUndefined();
  });

  it("finds the tightest quota on the process's cgroup or an ancestor (v2)", () => {
    const files: Record<string, string> = {
      "/sys/fs/cgroup/user.slice/cpu.max": "300000 100000\n",
      "/sys/fs/cgroup/user.slice/job-7/cpu.max": "max 100000\n",
    };
    const quota = cgroupQuota({
      mountinfo: "24 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n30 24 0:5 / /proc rw - proc proc rw\n",
      cgroup: "0::/user.slice/job-7\n",
      read: (path) => files[path],
    });
    expect(quota).toBe(3);
  });

  it("reads v1's cpu controller on a hybrid host, relative to a container's mount root", () => {
    const files: Record<string, string> = {
      "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "200000\n",
      "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000\n",
    };
    const quota = cgroupQuota({
      mountinfo: [
        "32 31 0:29 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup rw,cpu,cpuacct",
        "33 31 0:30 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory",
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
      ].join("\n"),
      cgroup: "4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n0::/\n",
      read: (path) => files[path],
    });
    expect(quota).toBe(2);
  });

  it("is undefined with no cgroup files (not Linux) or no limit", () => {
    expect(cgroupQuota({ mountinfo: undefined, cgroup: undefined, read: () => undefined })).toBeUndefined();
    expect(cgroupQuota({ mountinfo: "41 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw", cgroup: "0::/\n", read: () => "max 100000" })).toBeUndefined();
  });
});

const block = (processor: number, core: number, physical = 0, extra = "") =>
  `processor\t: ${processor}\nvendor_id\t: GenuineIntel\nphysical id\t: ${physical}\nsiblings\t: 4\ncore id\t\t: ${core}\ncpu cores\t: 2\n${extra}`;

describe("physical cores from /proc/cpuinfo", () => {
  it("counts distinct (physical id, core id) pairs: two hyper-threads on one core are one core", () => {
    const text = [block(0, 0), block(1, 1), block(2, 0), block(3, 1)].join("\n\n");
    expect(physicalCoresFromCpuinfo(text)).toBe(2);
    // The same core id on another socket is another core.
    const twoSockets = [block(0, 0, 0), block(1, 0, 1)].join("\n\n");
    expect(physicalCoresFromCpuinfo(twoSockets)).toBe(2);
  });

  it("counts only the processors the affinity mask allows", () => {
    const text = [block(0, 0), block(1, 1), block(2, 0), block(3, 1)].join("\n\n");
    expect(physicalCoresFromCpuinfo(text, new Set([0, 2]))).toBe(1);
    expect(physicalCoresFromCpuinfo(text, parseCpuList("0-1"))).toBe(2);
  });

  it("falls back to siblings vs cpu cores without core ids, and says nothing when neither is there", () => {
    const noIds = [0, 1, 2, 3].map((p) => `processor\t: ${p}\nsiblings\t: 4\ncpu cores\t: 2\n`).join("\n");
    expect(physicalCoresFromCpuinfo(noIds)).toBe(2);
    const arm = [0, 1, 2, 3].map((p) => `processor\t: ${p}\nBogoMIPS\t: 50.00\nCPU part\t: 0xd0c\n`).join("\n");
    expect(physicalCoresFromCpuinfo(arm)).toBeUndefined();
  });

  it("parses affinity lists", () => {
    expect([...parseCpuList("0-3,8,10-11\n")]).toEqual([0, 1, 2, 3, 8, 10, 11]);
  });
});

describe("cpuBudget", () => {
  it("never exceeds the CPUs the scheduler gives this process", () => {
    const budget = cpuBudget();
    expect(budget.availableParallelism).toBe(availableParallelism());
    expect(budget.cores).toBeGreaterThanOrEqual(1);
    expect(budget.cores).toBeLessThanOrEqual(Math.min(budget.availableParallelism, budget.cgroupQuota ?? Infinity, budget.physicalCores ?? Infinity));
  });
});
