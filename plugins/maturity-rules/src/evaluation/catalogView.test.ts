import { builtinChecks } from '../checks';
import { component } from '../testUtils/entities';
import { emptyExtraction, signalsFor } from '../testUtils/signals';
import { evaluateEntity } from './evaluateEntity';

const status = (record: ReturnType<typeof evaluateEntity>, id: string) =>
  record.checks.find(c => c.checkId === id)!;

describe('evaluateEntity with part of the catalog in view', () => {
  const owned = component('payments', { owner: 'group:default/payments' });
  const signals = signalsFor(owned, { extraction: emptyExtraction() });

  it('in the backend, fails what the catalog shows is missing', () => {
    const record = evaluateEntity(builtinChecks, signals);
    expect(status(record, 'people.team-owner').status).toBe('fail');
    expect(record.catalogDecided).toBeUndefined();
  });

  it('with the entity only, leaves checks of related entities, portal attestations and facts to the catalog', () => {
    const record = evaluateEntity(builtinChecks, signals, {
      catalogView: 'entity',
    });
    const teamOwner = status(record, 'people.team-owner');
    expect(teamOwner.status).toBe('unknown');
    expect(teamOwner.message).toMatch(
      /^The catalog decides this check: it needs entities related in the catalog/,
    );
    expect(status(record, 'policy.compliance-requirements').message).toMatch(
      /an attestation may have been made in the portal/,
    );
    expect(status(record, 'process.release-cadence').status).toBe('unknown');
    expect(record.catalogDecided).toEqual(
      expect.arrayContaining([
        'people.team-owner',
        'policy.compliance-requirements',
      ]),
    );
    // The entity itself is in view: its own fields still decide.
    expect(status(record, 'people.owner-set').status).toBe('pass');
    // A repository check is never the catalog's to decide.
    expect(status(record, 'process.ci-pipeline').status).toBe('fail');
  });

  it('without a catalog entity, leaves every catalog check that fails to the catalog', () => {
    const record = evaluateEntity(
      builtinChecks,
      signalsFor(component('x', { owner: undefined }), {
        extraction: emptyExtraction(),
      }),
      { catalogView: 'none' },
    );
    expect(status(record, 'people.owner-set').status).toBe('unknown');
    expect(status(record, 'people.owner-set').message).toMatch(
      /there is no catalog-info.yaml/,
    );
    expect(status(record, 'process.ci-pipeline').status).toBe('fail');
  });
});
