/** The driver's place in one cgroup hierarchy, from /proc/self/cgroup. */
export type ProcCgroup =
  | {
      version: 1;
      /** The hierarchy's controller list, as mounted (`cpu,cpuacct`). */
      controllers: string;
      path: string;
    }
  | { version: 2; path: string };

/**
 * The line of /proc/self/cgroup for `controller`: the v1 hierarchy it is
 * mounted in (alone or co-mounted), or else the v2 line ("0::/path").
 * Undefined when the process is in neither.
 */
export function procCgroup(
  procSelfCgroup: string,
  controller: string,
): ProcCgroup | undefined {
  const lines = procSelfCgroup.split('\n').map(l => l.split(':'));
  const v1 = lines.find(([, controllers]) =>
    controllers?.split(',').includes(controller),
  );
  if (v1) {
    return { version: 1, controllers: v1[1], path: v1.slice(2).join(':') };
  }
  const v2 = lines.find(
    ([id, controllers]) => id === '0' && controllers === '',
  );
  return v2 ? { version: 2, path: v2.slice(2).join(':') } : undefined;
}
