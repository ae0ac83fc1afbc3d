import { parseJson5 } from './json5';

describe('parseJson5', () => {
  it('reads what renovate.json5 files write', () => {
    expect(
      parseJson5(`{
  // shared settings
  $schema: 'https://docs.renovatebot.com/renovate-schema.json',
  extends: [
    'github>acme/samples//.github/renovate-configs/base.json5', /* ours */
    ':semanticCommits',
  ],
  vulnerabilityAlerts: { enabled: true, labels: ["it's \\"security\\""], },
  minimumReleaseAge: "1 week",
}`),
    ).toEqual({
      $schema: 'https://docs.renovatebot.com/renovate-schema.json',
      extends: [
        'github>acme/samples//.github/renovate-configs/base.json5',
        ':semanticCommits',
      ],
      vulnerabilityAlerts: { enabled: true, labels: ['it\'s "security"'] },
      minimumReleaseAge: '1 week',
    });
  });

  it('reads plain JSON, and gives up on what is neither', () => {
    expect(parseJson5('{"a": [1, null, false]}')).toEqual({
      a: [1, null, false],
    });
    expect(parseJson5('{ a: ')).toBeUndefined();
  });
});
