import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cgroupPlace, commandInCgroup } from './memoryCgroup';

describe('cgroupPlace', () => {
  it('finds the v1 memory controller among the others', () => {
    const procSelfCgroup = [
      '9:name=systemd:/',
      '4:memory:/process_api/abc',
      '3:cpuset:/',
      '0::/',
    ].join('\n');
    expect(cgroupPlace(procSelfCgroup, '/cg')).toEqual({
      parent: '/cg/memory/process_api/abc',
      limitFile: 'memory.limit_in_bytes',
    });
    expect(cgroupPlace('5:cpu,memory:/a', '/cg')?.parent).toBe('/cg/memory/a');
  });

  it('falls back to the unified hierarchy', () => {
    expect(cgroupPlace('0::/user.slice/session-1.scope\n', '/cg')).toEqual({
      parent: '/cg/user.slice/session-1.scope',
      limitFile: 'memory.max',
    });
  });

  it('is undefined outside any cgroup', () => {
    expect(cgroupPlace('')).toBeUndefined();
  });
});

describe('commandInCgroup', () => {
  it('writes the pid that then runs the command, and keeps its arguments', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnm-cgroup-test-'));
    try {
      const procs = path.join(dir, 'cgroup.procs');
      const { command, args } = commandInCgroup(procs, [
        process.execPath,
        '-e',
        'console.log(process.pid, process.argv[1])',
        'an argument with spaces',
      ]);
      const child = spawn(command, args);
      let out = '';
      child.stdout.on('data', d => (out += d));
      const code = await new Promise(r => child.on('exit', r));
      expect(code).toBe(0);
      expect(out.trim()).toBe(`${child.pid} an argument with spaces`);
      expect(fs.readFileSync(procs, 'utf8').trim()).toBe(String(child.pid));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('joins several cgroups (one per v1 hierarchy) before the command runs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnm-cgroup-test-'));
    try {
      const memory = path.join(dir, 'memory.procs');
      const cpu = path.join(dir, 'cpu.procs');
      const { command, args } = commandInCgroup(
        [memory, cpu],
        [process.execPath, '-e', 'console.log(process.pid)'],
      );
      const child = spawn(command, args);
      let out = '';
      child.stdout.on('data', d => (out += d));
      const code = await new Promise(r => child.on('exit', r));
      expect(code).toBe(0);
      expect(out.trim()).toBe(String(child.pid));
      for (const procs of [memory, cpu]) {
        expect(fs.readFileSync(procs, 'utf8').trim()).toBe(String(child.pid));
      }
      // A cgroup it cannot join: the command does not run unconstrained.
      const refused = commandInCgroup(
        [path.join(dir, 'missing', 'cgroup.procs')],
        [process.execPath, '-e', 'console.log("ran")'],
      );
      const failing = spawn(refused.command, refused.args, {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let ran = '';
      failing.stdout.on('data', d => (ran += d));
      expect(await new Promise(r => failing.on('exit', r))).not.toBe(0);
      expect(ran).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
