import { humanizeRef, normalizeRef } from '../refs';

describe('humanizeRef', () => {
  it('leaves out the expected kind and the default namespace', () => {
    expect(humanizeRef('group:default/payments-team', 'group')).toBe(
      'payments-team',
    );
    expect(humanizeRef('user:default/jane', 'group')).toBe('user:jane');
    expect(humanizeRef('group:ops/sre', 'group')).toBe('ops/sre');
    expect(humanizeRef('component:default/checkout')).toBe(
      'component:checkout',
    );
  });

  it('shows what it cannot parse as is', () => {
    expect(humanizeRef('not a ref', 'group')).toBe('not a ref');
    expect(humanizeRef('')).toBe('');
  });
});

describe('normalizeRef', () => {
  it('makes a full lower-case ref of what was typed', () => {
    expect(normalizeRef(' Payments-Team ', 'group')).toBe(
      'group:default/payments-team',
    );
    expect(normalizeRef('user:jane', 'group')).toBe('user:default/jane');
    expect(normalizeRef('Domain:Ops/Commerce', 'domain')).toBe(
      'domain:ops/commerce',
    );
  });

  it('takes nothing for blank text', () => {
    expect(normalizeRef('  ', 'group')).toBeUndefined();
  });
});
