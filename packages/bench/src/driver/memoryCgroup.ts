import fs from 'node:fs';
import path from 'node:path';
import { procCgroup } from './procCgroup';

/** Where a new memory cgroup goes, and how its limit is written. */
export interface CgroupPlace {
  /** The directory new cgroups are made in (the driver's own cgroup). */
  parent: string;
  /** The file the limit in bytes is written to. */
  limitFile: 'memory.limit_in_bytes' | 'memory.max';
}

/**
 * The driver's own memory cgroup, from /proc/self/cgroup: the v1 memory
 * controller's line, or else the v2 line ("0::/path"). Undefined when the
 * process is in neither.
 */
export function cgroupPlace(
  procSelfCgroup: string,
  mountRoot = '/sys/fs/cgroup',
): CgroupPlace | undefined {
  const found = procCgroup(procSelfCgroup, 'memory');
  if (!found) return undefined;
  return found.version === 1
    ? {
        parent: path.join(mountRoot, 'memory', found.path),
        limitFile: 'memory.limit_in_bytes',
      }
    : { parent: path.join(mountRoot, found.path), limitFile: 'memory.max' };
}

/**
 * A memory cgroup for the backend, as a container's memory limit: the kernel
 * enforces it, and Node sizes V8's heap from it by itself
 * (uv_get_constrained_memory), as it does in a container. Needs root, or a
 * delegated cgroup.
 */
export class MemoryCgroup {
  private constructor(
    readonly dir: string,
    /** 1: the v1 memory hierarchy; 2: the unified one. */
    readonly version: 1 | 2,
  ) {}

  /** The file a process writes its pid to, to join. */
  get procsFile(): string {
    return path.join(this.dir, 'cgroup.procs');
  }

  static create(limitMiB: number, name: string): MemoryCgroup {
    let place: CgroupPlace | undefined;
    try {
      place = cgroupPlace(fs.readFileSync('/proc/self/cgroup', 'utf8'));
    } catch {
      place = undefined;
    }
    if (!place) {
      throw new Error(
        '--memory-limit needs Linux cgroups: /proc/self/cgroup names no memory cgroup',
      );
    }
    const dir = path.join(place.parent, name);
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(
        path.join(dir, place.limitFile),
        String(limitMiB * 2 ** 20),
      );
    } catch (e) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // not made
      }
      throw new Error(
        `--memory-limit could not make a memory cgroup at ${dir} (it needs root or a delegated cgroup): ${e}`,
      );
    }
    return new MemoryCgroup(dir, place.limitFile === 'memory.max' ? 2 : 1);
  }

  /** Removes the cgroup once its processes have exited. */
  remove(): void {
    try {
      fs.rmdirSync(this.dir);
    } catch {
      // Still draining: the kernel removes an empty cgroup's last
      // references shortly; a leftover empty cgroup limits nothing.
    }
  }
}

/**
 * The command that starts `argv` inside the cgroups (one per v1 hierarchy,
 * e.g. memory and cpu): a shell joins them, then execs, so Node starts
 * already constrained and keeps the shell's pid.
 */
export function commandInCgroup(
  procsFiles: string | string[],
  argv: string[],
): { command: string; args: string[] } {
  const files = typeof procsFiles === 'string' ? [procsFiles] : procsFiles;
  return {
    command: '/bin/sh',
    args: [
      '-c',
      'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 1; shift; n=$((n - 1)); done; exec "$@"',
      'sh',
      String(files.length),
      ...files,
      ...argv,
    ],
  };
}
