import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cpuCgroupPlace,
  cpuLimitSetting,
  cpuLimitWrites,
  enableCpuController,
  parseCpuStat,
} from './cpuCgroup';

describe('cpuCgroupPlace', () => {
  it('finds the v1 cpu controller, alone or co-mounted, and not cpuset or cpuacct', () => {
    const procSelfCgroup = [
      '9:name=systemd:/',
      '4:memory:/process_api/abc',
      '3:cpuset:/',
      '2:cpuacct:/',
      '1:cpu:/',
      '0::/',
    ].join('\n');
    expect(cpuCgroupPlace(procSelfCgroup, '/cg')).toEqual({
      version: 1,
      parent: '/cg/cpu',
    });
    expect(cpuCgroupPlace('3:cpu,cpuacct:/a/b', '/cg')).toEqual({
      version: 1,
      parent: '/cg/cpu,cpuacct/a/b',
    });
  });

  it('falls back to the unified hierarchy', () => {
    expect(cpuCgroupPlace('0::/user.slice/session-1.scope\n', '/cg')).toEqual({
      version: 2,
      parent: '/cg/user.slice/session-1.scope',
    });
  });

  it('is undefined outside any cgroup', () => {
    expect(cpuCgroupPlace('')).toBeUndefined();
  });
});

describe('cpuLimitWrites', () => {
  it('gives one core as a quota of one period', () => {
    expect(cpuLimitWrites(2, 1)).toEqual([
      { file: 'cpu.max', value: '100000 100000' },
    ]);
    expect(cpuLimitWrites(1, 1)).toEqual([
      { file: 'cpu.cfs_period_us', value: '100000' },
      { file: 'cpu.cfs_quota_us', value: '100000' },
    ]);
    expect(cpuLimitWrites(2, 1.5)[0].value).toBe('150000 100000');
    expect(cpuLimitSetting(2, 1)).toBe('cpu.max = "100000 100000" (cgroup v2)');
    expect(cpuLimitSetting(1, 1)).toBe(
      'cpu.cfs_period_us = "100000", cpu.cfs_quota_us = "100000" (cgroup v1\'s cpu controller; v2\'s cpu.max "100000 100000")',
    );
  });
});

describe('enableCpuController', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnm-cpu-cgroup-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) =>
    fs.writeFileSync(path.join(dir, file), text);
  const subtree = () =>
    fs.readFileSync(path.join(dir, 'cgroup.subtree_control'), 'utf8');

  it('leaves an enabled controller alone', () => {
    write('cgroup.controllers', 'cpuset cpu io memory pids\n');
    write('cgroup.subtree_control', 'cpu memory\n');
    enableCpuController(dir);
    expect(subtree()).toBe('cpu memory\n');
  });

  it('enables the controller when the parent offers it', () => {
    write('cgroup.controllers', 'cpuset cpu io memory pids\n');
    write('cgroup.subtree_control', 'memory\n');
    enableCpuController(dir);
    expect(subtree()).toBe('+cpu');
  });

  it('says so when the controller is not available', () => {
    write('cgroup.controllers', 'memory pids\n');
    write('cgroup.subtree_control', '\n');
    expect(() => enableCpuController(dir)).toThrow(
      /the cpu controller is not available in .* \(cgroup.controllers: memory pids\)/,
    );
  });
});

describe('parseCpuStat', () => {
  it('reads v1 (ns) and v2 (µs)', () => {
    expect(
      parseCpuStat(
        'nr_periods 120\nnr_throttled 30\nthrottled_time 2500000000\nnr_bursts 0\n',
      ),
    ).toEqual({ periods: 120, throttled: 30, throttledMs: 2500 });
    expect(
      parseCpuStat(
        'usage_usec 9000\nnr_periods 10\nnr_throttled 2\nthrottled_usec 15000\n',
      ),
    ).toEqual({ periods: 10, throttled: 2, throttledMs: 15 });
  });
});
