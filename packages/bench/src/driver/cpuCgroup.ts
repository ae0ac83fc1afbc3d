import fs from 'node:fs';
import path from 'node:path';
import { procCgroup } from './procCgroup';

/** The CFS period the quota is a share of: 100 ms, the kernel's default. */
export const CPU_PERIOD_US = 100_000;

/** Where a new CPU cgroup goes: the driver's own cgroup of the cpu controller. */
export interface CpuCgroupPlace {
  /** 1: a v1 hierarchy with the cpu controller; 2: the unified hierarchy. */
  version: 1 | 2;
  /** The directory new cgroups are made in (the driver's own cgroup). */
  parent: string;
}

/** A directory under the mount, without the trailing slash of a root cgroup. */
const dirOf = (...parts: string[]) =>
  path.join(...parts).replace(/(.)\/+$/, '$1');

/**
 * The driver's own CPU cgroup, from /proc/self/cgroup: the line of the v1
 * hierarchy the `cpu` controller is mounted in (alone or co-mounted, as
 * `cpu,cpuacct`), or else the v2 line ("0::/path"). Undefined when the
 * process is in neither.
 */
export function cpuCgroupPlace(
  procSelfCgroup: string,
  mountRoot = '/sys/fs/cgroup',
): CpuCgroupPlace | undefined {
  const found = procCgroup(procSelfCgroup, 'cpu');
  if (!found) return undefined;
  return found.version === 1
    ? {
        version: 1,
        // The hierarchy is mounted under its controller list (`cpu,cpuacct`).
        parent: dirOf(mountRoot, found.controllers, found.path),
      }
    : { version: 2, parent: dirOf(mountRoot, found.path) };
}

/**
 * The files and values that limit a cgroup to `cores` CPUs: a quota of
 * `cores` periods per period (one core = "100000 100000" in v2's `cpu.max`;
 * the same in v1's `cpu.cfs_quota_us` and `cpu.cfs_period_us`).
 */
export function cpuLimitWrites(
  version: 1 | 2,
  cores: number,
): Array<{ file: string; value: string }> {
  const quota = Math.max(1000, Math.round(cores * CPU_PERIOD_US));
  return version === 2
    ? [{ file: 'cpu.max', value: `${quota} ${CPU_PERIOD_US}` }]
    : [
        // The period first: the kernel checks the quota against it.
        { file: 'cpu.cfs_period_us', value: String(CPU_PERIOD_US) },
        { file: 'cpu.cfs_quota_us', value: String(quota) },
      ];
}

/** `cpu.max = "100000 100000" (cgroup v2)`: what was written, for the report. */
export function cpuLimitSetting(version: 1 | 2, cores: number): string {
  const writes = cpuLimitWrites(version, cores)
    .map(w => `${w.file} = "${w.value}"`)
    .join(', ');
  if (version === 2) return `${writes} (cgroup v2)`;
  const v2 = cpuLimitWrites(2, cores)[0].value;
  return `${writes} (cgroup v1's cpu controller; v2's cpu.max "${v2}")`;
}

/**
 * cgroup v2 only distributes CPU to children through a controller enabled
 * in the parent's `cgroup.subtree_control`: enables `cpu` there unless it
 * is already, or says why it cannot be (not offered by the parent's parent,
 * or the parent holds processes itself: the "no internal processes" rule
 * refuses the write with EBUSY outside the root cgroup).
 */
export function enableCpuController(parent: string): void {
  const read = (file: string) =>
    fs.readFileSync(path.join(parent, file), 'utf8').trim().split(/\s+/);
  let enabled: string[];
  try {
    enabled = read('cgroup.subtree_control');
  } catch (e) {
    throw new Error(`cannot read ${parent}/cgroup.subtree_control: ${e}`);
  }
  if (enabled.includes('cpu')) return;
  let available: string[] = [];
  try {
    available = read('cgroup.controllers');
  } catch {
    // Tried anyway: the write says why not.
  }
  if (!available.includes('cpu')) {
    throw new Error(
      `the cpu controller is not available in ${parent} (cgroup.controllers: ${
        available.join(' ') || 'none'
      }): its parent does not delegate it, or it is bound to a v1 hierarchy`,
    );
  }
  try {
    fs.writeFileSync(path.join(parent, 'cgroup.subtree_control'), '+cpu');
  } catch (e) {
    const busy = (e as NodeJS.ErrnoException).code === 'EBUSY';
    throw new Error(
      `could not enable the cpu controller in ${parent}/cgroup.subtree_control${
        busy
          ? ' (EBUSY: a cgroup that holds processes itself cannot give controllers to children; run the driver in a leaf cgroup of a parent that delegates cpu)'
          : ''
      }: ${e}`,
    );
  }
}

/**
 * A CPU cgroup for the backend, as a container's CPU limit (Kubernetes'
 * `resources.limits.cpu`): the kernel's CFS quota lets its processes run
 * `cores` CPUs' worth of time per 100 ms period, all their threads
 * together. Needs root, or a delegated cgroup.
 */
export class CpuCgroup {
  private constructor(
    /** The cgroup's directory. */
    readonly dir: string,
    /** What was written, for the report. */
    readonly setting: string,
    private readonly owned: boolean,
  ) {}

  /** The file a process writes its pid to, to join. */
  get procsFile(): string {
    return path.join(this.dir, 'cgroup.procs');
  }

  /**
   * Makes `<parent>/<name>` with the limit; `into`: an existing v2 cgroup
   * (the memory cgroup) takes the limit instead, since a process is in
   * exactly one cgroup of the unified hierarchy.
   */
  static create(
    cores: number,
    name: string,
    options: { into?: string } = {},
  ): CpuCgroup {
    let place: CpuCgroupPlace | undefined;
    try {
      place = cpuCgroupPlace(fs.readFileSync('/proc/self/cgroup', 'utf8'));
    } catch {
      place = undefined;
    }
    if (!place) {
      throw new Error(
        '--cpu-limit needs Linux cgroups: /proc/self/cgroup names no cpu cgroup',
      );
    }
    const into = place.version === 2 ? options.into : undefined;
    const dir = into ?? path.join(place.parent, name);
    try {
      if (place.version === 2) enableCpuController(place.parent);
      if (!into) fs.mkdirSync(dir);
      for (const { file, value } of cpuLimitWrites(place.version, cores)) {
        fs.writeFileSync(path.join(dir, file), value);
      }
    } catch (e) {
      if (!into) {
        try {
          fs.rmdirSync(dir);
        } catch {
          // not made
        }
      }
      throw new Error(
        `--cpu-limit could not make a cpu cgroup at ${dir} (it needs root or a delegated cgroup): ${
          e instanceof Error ? e.message : e
        }`,
      );
    }
    return new CpuCgroup(dir, cpuLimitSetting(place.version, cores), !into);
  }

  /**
   * Periods in which the cgroup's processes were throttled, of all periods
   * they ran in, and the time they were held back (`cpu.stat`; v1 in ns,
   * v2 in µs). Undefined once the cgroup is gone.
   */
  throttling():
    | { periods: number; throttled: number; throttledMs: number }
    | undefined {
    try {
      return parseCpuStat(
        fs.readFileSync(path.join(this.dir, 'cpu.stat'), 'utf8'),
      );
    } catch {
      return undefined;
    }
  }

  /** Removes the cgroup once its processes have exited. */
  remove(): void {
    if (!this.owned) return;
    try {
      fs.rmdirSync(this.dir);
    } catch {
      // Still draining: an empty leftover cgroup limits nothing.
    }
  }
}

/** `cpu.stat` of either version: periods, throttled periods, ms held back. */
export function parseCpuStat(text: string): {
  periods: number;
  throttled: number;
  throttledMs: number;
} {
  const values = new Map(
    text
      .split('\n')
      .map(l => l.trim().split(/\s+/))
      .filter(f => f.length === 2)
      .map(([k, v]) => [k, Number(v)] as const),
  );
  const throttledMs = values.has('throttled_usec')
    ? values.get('throttled_usec')! / 1000
    : (values.get('throttled_time') ?? 0) / 1e6;
  return {
    periods: values.get('nr_periods') ?? 0,
    throttled: values.get('nr_throttled') ?? 0,
    throttledMs,
  };
}
