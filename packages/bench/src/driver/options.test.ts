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
});
