import { ConfigReader } from '@backstage/config';
import { component } from '../testUtils/entities';
import { orgControlsFor } from './orgControlsFor';
import { readOrgControls } from './readOrgControls';

const now = new Date('2026-11-25T12:00:00Z');

const controls = (...orgControls: object[]) =>
  readOrgControls(new ConfigReader({ orgControls } as any), now);

const control = (id: string, reviewed: string, extra: object = {}) => ({
  id,
  satisfies: ['technology.secrets-hygiene'],
  evidence: `https://wiki.example.com/${id}`,
  reviewed,
  ...extra,
});

const covering = (orgControls: object[], entity = component('svc')) =>
  orgControlsFor(entity, controls(...orgControls), {
    now,
    reviewMaxAgeDays: 365,
  })['technology.secrets-hygiene'];

describe('orgControlsFor', () => {
  it('covers only the entities the filter matches', () => {
    const production = control('scan', '2026-09-01', {
      appliesTo: { 'spec.lifecycle': 'production' },
    });
    expect(covering([production])?.control.id).toBe('scan');
    expect(
      covering([production], component('svc', { lifecycle: 'experimental' })),
    ).toBeUndefined();
  });

  it('lapses a control reviewed more than the maximum age ago', () => {
    // 2025-11-25 is exactly 365 days before the evaluation day.
    expect(covering([control('scan', '2025-11-25')])?.lapsed).toBe(false);
    expect(covering([control('scan', '2025-11-24')])).toMatchObject({
      lapsed: true,
      maxAgeDays: 365,
    });
  });

  it('prefers a fresh control to a lapsed one, then the latest review', () => {
    expect(
      covering([control('old', '2024-01-10'), control('fresh', '2026-01-10')])
        ?.control.id,
    ).toBe('fresh');
    expect(
      covering([
        control('earlier', '2026-01-10'),
        control('later', '2026-06-10'),
      ])?.control.id,
    ).toBe('later');
  });
});
