import { parseOptions } from './options';

describe('parseOptions', () => {
  it('leaves the heap limit to Node unless --heap-limit sets it', () => {
    expect(parseOptions([]).heapLimitMiB).toBeUndefined();
    expect(parseOptions(['--heap-limit', '512']).heapLimitMiB).toBe(512);
    expect(() => parseOptions(['--heap-limit', '16'])).toThrow(
      '--heap-limit must be numbers >= 64, got 16',
    );
  });

  it('takes a memory limit for the backend', () => {
    expect(parseOptions([]).memoryLimitMiB).toBeUndefined();
    expect(parseOptions(['--memory-limit=1024']).memoryLimitMiB).toBe(1024);
    expect(() => parseOptions(['--memory-limit', 'lots'])).toThrow(
      '--memory-limit must be numbers >= 128, got lots',
    );
  });

  it('reads the repositories from the bench reader unless --scm github', () => {
    expect(parseOptions([])).toMatchObject({
      scm: 'local',
      scmLimit: 5000,
      cycleMinutes: 30,
    });
    expect(
      parseOptions([
        '--scm',
        'github',
        '--scm-limit=1000',
        '--cycle-minutes',
        '60',
      ]),
    ).toMatchObject({ scm: 'github', scmLimit: 1000, cycleMinutes: 60 });
    expect(() => parseOptions(['--scm', 'gitlab'])).toThrow(
      '--scm must be local or github, got gitlab',
    );
  });

  it('takes a CPU limit in cores, fractions too', () => {
    expect(parseOptions([]).cpuLimitCores).toBeUndefined();
    expect(parseOptions(['--cpu-limit', '1']).cpuLimitCores).toBe(1);
    expect(parseOptions(['--cpu-limit=1.5']).cpuLimitCores).toBe(1.5);
    expect(() => parseOptions(['--cpu-limit', '0'])).toThrow(
      '--cpu-limit must be a number of cores >= 0.01, got 0',
    );
  });

  it('measures two instances on PostgreSQL only', () => {
    expect(parseOptions([]).instances).toBe(1);
    expect(parseOptions(['--instances', '2', '--engine', 'pg']).instances).toBe(
      2,
    );
    expect(() => parseOptions(['--instances', '2'])).toThrow(
      '--instances 2 needs --engine pg',
    );
    expect(() =>
      parseOptions(['--instances', '2', '--engine', 'both']),
    ).toThrow('--instances 2 needs --engine pg');
    expect(() =>
      parseOptions([
        '--instances',
        '2',
        '--engine',
        'pg',
        '--tools',
        'tech-insights',
      ]),
    ).toThrow('--tools must include maturity');
    expect(() => parseOptions(['--instances', '3', '--engine', 'pg'])).toThrow(
      '--instances must be 1 or 2, got 3',
    );
  });
});
