import {
  ANNOTATION_ATTEST_PREFIX,
  ANNOTATION_EXEMPT_PREFIX,
  ANNOTATION_TARGET_DATE,
  ANNOTATION_TARGET_LEVEL,
  parseMaturityAnnotations,
  parseTargetLevel,
} from './annotations';

const now = new Date('2026-11-25T15:30:00Z');
const parse = (
  annotations: Record<string, unknown> | undefined,
  options: Partial<Parameters<typeof parseMaturityAnnotations>[1]> = {},
) => parseMaturityAnnotations(annotations, { now, ...options });

const EXEMPT = `${ANNOTATION_EXEMPT_PREFIX}process.container-scan`;
const ATTEST = `${ANNOTATION_ATTEST_PREFIX}people.k8s-fundamentals`;

describe('parseTargetLevel', () => {
  it.each([
    ['3', 3],
    [' 3 ', 3],
    ['1', 1],
    ['5', 5],
    ['scale', 3],
    ['Scale', 3],
    ['BUILD', 1],
    ['operate', 2],
    ['improve', 4],
    ['adapt', 5],
    ['optimize', 5],
    ['Optimize', 5],
  ])('reads %j as %i', (value, level) => {
    expect(parseTargetLevel(value)).toBe(level);
  });

  it.each(['0', '6', '03', '3.0', 'level 3', 'three', 'scaling', '', ' '])(
    'rejects %j',
    value => {
      expect(parseTargetLevel(value)).toBeUndefined();
    },
  );
});

describe('parseMaturityAnnotations', () => {
  it('reads a full set of annotations', () => {
    const result = parse({
      [ANNOTATION_TARGET_LEVEL]: 'scale',
      [ANNOTATION_TARGET_DATE]: '2027-06-30',
      [EXEMPT]:
        'Scanned centrally by the platform pipeline (PLAT-123) until 2027-01-31',
      [ATTEST]: '2026-10-01 https://wiki.example.com/training',
      'backstage.io/techdocs-ref': 'dir:.',
    });
    expect(result).toEqual({
      targetLevel: 3,
      targetDate: '2027-06-30',
      exemptions: {
        'process.container-scan': {
          reason: 'Scanned centrally by the platform pipeline (PLAT-123)',
          until: '2027-01-31',
          expired: false,
        },
      },
      attestations: {
        'people.k8s-fundamentals': {
          date: '2026-10-01',
          url: 'https://wiki.example.com/training',
          expired: false,
        },
      },
      messages: [],
    });
  });

  it('returns an empty result for no annotations', () => {
    for (const annotations of [undefined, {}, { 'other/key': 'x' }]) {
      const result = parse(annotations);
      expect(result).toEqual({
        exemptions: {},
        attestations: {},
        messages: [],
      });
    }
  });

  describe('target-level', () => {
    it('reports a value that is not a level, naming the annotation and the allowed values', () => {
      for (const value of ['6', 'expert', '', '3 or 4']) {
        const result = parse({ [ANNOTATION_TARGET_LEVEL]: value });
        expect(result.targetLevel).toBeUndefined();
        expect(result.messages).toEqual([
          {
            annotation: ANNOTATION_TARGET_LEVEL,
            value,
            message: expect.stringContaining(ANNOTATION_TARGET_LEVEL),
          },
        ]);
        expect(result.messages[0].message).toMatch(
          /1-5.*build.*operate.*scale.*improve.*adapt/,
        );
      }
    });
  });

  describe('target-date', () => {
    it.each(['2027-06-30', '2028-02-29', '2000-02-29', ' 2027-01-01 '])(
      'accepts %j',
      value => {
        const result = parse({ [ANNOTATION_TARGET_DATE]: value });
        expect(result.targetDate).toBe(value.trim());
        expect(result.messages).toEqual([]);
      },
    );

    it.each([
      '2027-02-30',
      '2027-13-01',
      '2027-00-10',
      '2027-06-31',
      '2027-06-00',
      '2100-02-29',
      '2027-06-30T00:00:00Z',
      '2027-06-30 12:00',
      '27-06-30',
      '2027/06/30',
      '2027-6-30',
      '',
      'next quarter',
    ])('rejects %j', value => {
      const result = parse({ [ANNOTATION_TARGET_DATE]: value });
      expect(result.targetDate).toBeUndefined();
      expect(result.messages).toEqual([
        {
          annotation: ANNOTATION_TARGET_DATE,
          value,
          message: expect.stringContaining('YYYY-MM-DD'),
        },
      ]);
    });
  });

  describe('exempt.<check-id>', () => {
    it.each([
      [
        'Scanned centrally by the platform pipeline (PLAT-123)',
        {
          reason: 'Scanned centrally by the platform pipeline (PLAT-123)',
          expired: false,
        },
      ],
      [
        'Scanned centrally UNTIL 2027-01-31',
        { reason: 'Scanned centrally', until: '2027-01-31', expired: false },
      ],
      [
        '  Padded   reason  until   2027-01-31  ',
        { reason: 'Padded   reason', until: '2027-01-31', expired: false },
      ],
      [
        'Wait until the platform ships it',
        { reason: 'Wait until the platform ships it', expired: false },
      ],
      [
        'Held until 2026-01-01 then until 2027-01-31',
        {
          reason: 'Held until 2026-01-01 then',
          until: '2027-01-31',
          expired: false,
        },
      ],
    ])('reads %j', (value, exemption) => {
      const result = parse({ [EXEMPT]: value });
      expect(result.messages).toEqual([]);
      expect(result.exemptions['process.container-scan']).toEqual(exemption);
    });

    it.each([
      ['', 'needs a reason'],
      ['   ', 'needs a reason'],
      ['until 2027-01-31', 'needs a reason'],
      ['Reason until 2027-02-30', 'invalid until date'],
      ['Reason until tomorrow', 'invalid until date'],
      ['Reason until 2027-01-31T00:00:00Z', 'invalid until date'],
      ['Reason until', 'no date'],
    ])('reports %j and grants no exemption', (value, problem) => {
      const result = parse({ [EXEMPT]: value });
      expect(result.exemptions).toEqual({});
      expect(result.messages).toEqual([
        {
          annotation: EXEMPT,
          value,
          message: expect.stringContaining(problem),
        },
      ]);
      expect(result.messages[0].message).toContain(EXEMPT);
    });

    it('is still valid on its until date and expired the day after', () => {
      const on = (until: string, at: string) =>
        parse({ [EXEMPT]: `Reason until ${until}` }, { now: new Date(at) })
          .exemptions['process.container-scan'].expired;
      expect(on('2026-11-25', '2026-11-25T00:00:00Z')).toBe(false);
      expect(on('2026-11-25', '2026-11-25T23:59:59.999Z')).toBe(false);
      expect(on('2026-11-25', '2026-11-26T00:00:00Z')).toBe(true);
      expect(on('2026-11-24', '2026-11-25T15:30:00Z')).toBe(true);
    });

    it('reports a key without a check id', () => {
      const result = parse({ [ANNOTATION_EXEMPT_PREFIX]: 'Reason' });
      expect(result.exemptions).toEqual({});
      expect(result.messages[0].annotation).toBe(ANNOTATION_EXEMPT_PREFIX);
    });
  });

  describe('attest.<check-id>', () => {
    it.each([
      [
        '2026-10-01 https://wiki.example.com/training',
        { date: '2026-10-01', url: 'https://wiki.example.com/training' },
      ],
      [
        '  2026-11-25   http://intranet.example/cert?id=1  ',
        { date: '2026-11-25', url: 'http://intranet.example/cert?id=1' },
      ],
    ])('reads %j', (value, attestation) => {
      const result = parse({ [ATTEST]: value });
      expect(result.messages).toEqual([]);
      expect(result.attestations['people.k8s-fundamentals']).toEqual({
        ...attestation,
        expired: false,
      });
    });

    it.each([
      ['', 'must be'],
      ['2026-10-01', 'must be'],
      ['https://wiki.example.com 2026-10-01', 'must be'],
      ['2026-02-30 https://wiki.example.com', 'must be'],
      ['2026-10-01T10:00:00Z https://wiki.example.com', 'must be'],
      ['2026-11-26 https://wiki.example.com', 'future'],
      ['2026-10-01 ftp://files.example.com/cert', 'URL'],
      ['2026-10-01 javascript:alert(1)', 'URL'],
      ['2026-10-01 wiki.example.com/training', 'URL'],
      ['2026-10-01 https://', 'URL'],
      ['2026-10-01 https://a.example/one https://b.example/two', 'URL'],
    ])('reports %j and records no attestation', (value, problem) => {
      const result = parse({ [ATTEST]: value });
      expect(result.attestations).toEqual({});
      expect(result.messages).toEqual([
        {
          annotation: ATTEST,
          value,
          message: expect.stringContaining(problem),
        },
      ]);
    });

    it('expires one day after the maximum age, not on it', () => {
      const expiredAt = (date: string, maxAge?: number) =>
        parse(
          { [ATTEST]: `${date} https://wiki.example.com/t` },
          { attestationMaxAgeDays: maxAge },
        ).attestations['people.k8s-fundamentals'].expired;
      // 365 days by default
      expect(expiredAt('2025-11-25')).toBe(false);
      expect(expiredAt('2025-11-24')).toBe(true);
      expect(expiredAt('2026-10-26', 30)).toBe(false);
      expect(expiredAt('2026-10-25', 30)).toBe(true);
      expect(expiredAt('2026-11-25', 0)).toBe(false);
      expect(expiredAt('2026-11-24', 0)).toBe(true);
    });
  });

  it('ignores exemptions and attestations for unknown check ids when ids are known', () => {
    const result = parse(
      {
        [`${ANNOTATION_EXEMPT_PREFIX}process.container-scn`]: 'Typo',
        [`${ANNOTATION_ATTEST_PREFIX}people.k8s-basics`]:
          '2026-10-01 https://wiki.example.com/training',
        [EXEMPT]: 'Scanned centrally',
      },
      { knownCheckIds: new Set(['process.container-scan']) },
    );
    expect(result.exemptions).toEqual({
      'process.container-scan': { reason: 'Scanned centrally', expired: false },
    });
    expect(result.attestations).toEqual({});
    expect(result.messages.map(m => [m.annotation, m.message])).toEqual([
      [
        `${ANNOTATION_EXEMPT_PREFIX}process.container-scn`,
        expect.stringContaining('unknown check id'),
      ],
      [
        `${ANNOTATION_ATTEST_PREFIX}people.k8s-basics`,
        expect.stringContaining('unknown check id'),
      ],
    ]);
  });

  it('reports a mistyped maturity annotation instead of dropping it silently', () => {
    const key = 'cloud-native-maturity/target-levle';
    const result = parse({ [key]: '3' });
    expect(result.targetLevel).toBeUndefined();
    expect(result.messages).toEqual([
      { annotation: key, value: '3', message: expect.stringContaining(key) },
    ]);
  });

  it('reports values that are not strings and never throws on them', () => {
    const values: unknown[] = [
      3,
      NaN,
      true,
      null,
      undefined,
      { level: 3 },
      ['3'],
      Object.create(null),
      () => 3,
      Symbol('x'),
      10n,
    ];
    for (const value of values) {
      const result = parse({
        [ANNOTATION_TARGET_LEVEL]: value,
        [ANNOTATION_TARGET_DATE]: value,
        [EXEMPT]: value,
        [ATTEST]: value,
      });
      expect(result.targetLevel).toBeUndefined();
      expect(result.targetDate).toBeUndefined();
      expect(result.exemptions).toEqual({});
      expect(result.attestations).toEqual({});
      expect(result.messages).toHaveLength(4);
      for (const m of result.messages) {
        expect(m.message).toContain('must be a string');
        expect(typeof m.value).toBe('string');
      }
    }
  });

  it('keys exemptions and attestations safely, even by __proto__ and constructor', () => {
    const annotations: Record<string, unknown> = {};
    for (const id of ['__proto__', 'constructor', 'hasOwnProperty']) {
      // defineProperty: a plain assignment to __proto__ would set the prototype.
      Object.defineProperty(annotations, `${ANNOTATION_EXEMPT_PREFIX}${id}`, {
        value: `Reason for ${id}`,
        enumerable: true,
      });
      Object.defineProperty(annotations, `${ANNOTATION_ATTEST_PREFIX}${id}`, {
        value: '2026-10-01 https://wiki.example.com/t',
        enumerable: true,
      });
    }
    const result = parse(annotations);
    expect(result.messages).toEqual([]);
    expect(Object.getPrototypeOf(result.exemptions)).toBeNull();
    expect(Object.getPrototypeOf(result.attestations)).toBeNull();
    expect(Object.keys(result.exemptions).sort()).toEqual([
      '__proto__',
      'constructor',
      'hasOwnProperty',
    ]);
    const proto = '__proto__';
    expect(result.exemptions[proto]).toEqual({
      reason: 'Reason for __proto__',
      expired: false,
    });
    expect(result.exemptions.constructor).toEqual({
      reason: 'Reason for constructor',
      expired: false,
    });
    expect(result.attestations[proto].url).toBe('https://wiki.example.com/t');
    expect(({} as Record<string, unknown>).reason).toBeUndefined();
    // Absent ids read as absent, not as inherited members.
    expect(result.exemptions.toString).toBeUndefined();
  });

  describe('hostile input', () => {
    // mulberry32: small, seeded, deterministic
    const prng = (seed: number) => {
      let state = seed;
      return () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    };
    const random = prng(20261125);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(items: readonly T[]): T => items[int(items.length)];

    const unicode = (length: number) => {
      let s = '';
      for (let i = 0; i < length; i++) {
        s += pick([
          () => String.fromCodePoint(int(0x110000)), // includes lone surrogates
          () => String.fromCharCode(32 + int(95)),
          () => pick([' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff', '\0']),
        ])();
      }
      return s;
    };
    const long = 100_000;
    const strings: Array<() => string> = [
      () => unicode(int(40)),
      () => unicode(int(2000)),
      () => 'until '.repeat(long / 6),
      () => `${'a until '.repeat(long / 8)}2027-01-31`,
      () => `${'x'.repeat(long)} until 2027-01-31`,
      () => `Reason until ${'2'.repeat(long)}`,
      () => ' '.repeat(long),
      () => 'a'.repeat(long),
      () => `2026-10-01 https://${'a'.repeat(long)}.example`,
      () => `2026-10-01 ${'h'.repeat(long)}`,
      () => `2026-10-01${' '.repeat(long)}https://e.example`,
      () => `${'2026-10-01 '.repeat(long / 11)}`,
      () => pick(['3', 'scale', '2027-02-30', '2026-10-01 https://e.example']),
      () => `${unicode(5)} until ${pick(['2027-01-31', '2026-11-24', 'x'])}`,
    ];
    const values: Array<() => unknown> = [
      ...strings,
      () => random() * 1e9,
      () => null,
      () => undefined,
      () => ({ toString: () => 'scale' }),
      () => JSON.parse('{"__proto__": {"polluted": true}}'),
      () => [unicode(3)],
      () => Object.create(null),
      () => true,
    ];
    const ids = [
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      '',
      'process.container-scan',
      'people.k8s-fundamentals',
    ];
    const keys: Array<() => string> = [
      () => ANNOTATION_TARGET_LEVEL,
      () => ANNOTATION_TARGET_DATE,
      () => `${ANNOTATION_EXEMPT_PREFIX}${pick(ids)}`,
      () => `${ANNOTATION_ATTEST_PREFIX}${pick(ids)}`,
      () => `${ANNOTATION_EXEMPT_PREFIX}${unicode(int(20))}`,
      () => `${ANNOTATION_ATTEST_PREFIX}${unicode(int(20))}`,
      () => `cloud-native-maturity/${unicode(int(10))}`,
      () => pick(['__proto__', 'constructor', 'prototype']),
      () => unicode(int(20)),
    ];

    it('never throws, never pollutes prototypes, and stays well-formed for 2,000 random inputs', () => {
      const objectMembers = Object.getOwnPropertyNames(Object.prototype).sort();
      for (let i = 0; i < 2000; i++) {
        const annotations: Record<string, unknown> = {};
        const count = 1 + int(6);
        for (let k = 0; k < count; k++) {
          Object.defineProperty(annotations, pick(keys)(), {
            value: pick(values)(),
            enumerable: true,
            configurable: true,
            writable: true,
          });
        }
        const result = parseMaturityAnnotations(annotations, {
          now,
          attestationMaxAgeDays: pick([undefined, 0, 30, 365, -1, NaN]),
          knownCheckIds:
            random() < 0.5
              ? new Set(['process.container-scan', '__proto__'])
              : undefined,
        });

        expect(Object.getPrototypeOf(result.exemptions)).toBeNull();
        expect(Object.getPrototypeOf(result.attestations)).toBeNull();
        for (const e of Object.values(result.exemptions)) {
          expect(e.reason.trim().length).toBeGreaterThan(0);
          expect(typeof e.expired).toBe('boolean');
        }
        for (const a of Object.values(result.attestations)) {
          expect(a.url).toMatch(/^https?:\/\//);
          expect(typeof a.expired).toBe('boolean');
        }
        for (const m of result.messages) {
          expect(typeof m.annotation).toBe('string');
          expect(m.value.length).toBeLessThanOrEqual(201);
          expect(m.message.length).toBeGreaterThan(0);
        }
        expect([undefined, 1, 2, 3, 4, 5]).toContain(result.targetLevel);
      }
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(
        objectMembers,
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('keeps a 100k-character reason intact and reads its until date', () => {
      const reason = 'x'.repeat(long);
      const result = parse({ [EXEMPT]: `${reason} until 2027-01-31` });
      expect(result.exemptions['process.container-scan']).toEqual({
        reason,
        until: '2027-01-31',
        expired: false,
      });
    });

    it('parses each 100k-character value in linear time', () => {
      const budgetMs = 250;
      const annotationKeys = [
        ANNOTATION_TARGET_LEVEL,
        ANNOTATION_TARGET_DATE,
        EXEMPT,
        ATTEST,
      ];
      for (const make of strings.slice(2, 12)) {
        const value = make();
        for (const key of annotationKeys) {
          const started = Date.now();
          parse({ [key]: value });
          expect({ key, ms: Date.now() - started < budgetMs }).toEqual({
            key,
            ms: true,
          });
        }
      }
    });
  });
});
