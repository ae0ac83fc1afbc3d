import { packJson, unpackJson } from './packedJson';

describe('packed JSON', () => {
  it('keeps short values as plain JSON', async () => {
    expect(await packJson({ a: 1 })).toBe('{"a":1}');
    expect(unpackJson(await packJson({ a: 1 }))).toEqual({ a: 1 });
  });

  it('deflates long values and reads them back exactly', async () => {
    const checks = Array.from({ length: 61 }, (_, i) => ({
      checkId: `area.check-${i}`,
      status: i % 3 ? 'pass' : 'fail',
      message: `Check ${i}: found .github/workflows/ci.yml with "quotes" and ünïcødé`,
      evidence: [{ type: 'file', label: '.github/workflows/ci.yml', line: i }],
    }));
    const packed = await packJson(checks);
    expect(packed.startsWith('z1:')).toBe(true);
    expect(packed.length).toBeLessThan(JSON.stringify(checks).length / 3);
    expect(unpackJson(packed)).toEqual(checks);
  });

  it('reads plain JSON written before compression', () => {
    const long = JSON.stringify({ text: 'x'.repeat(2000) });
    expect(unpackJson(long)).toEqual({ text: 'x'.repeat(2000) });
  });
});
