import { component, group } from '../__testUtils__/entities';
import { signalsFor } from '../__testUtils__/signals';
import { evaluateTeamOwner } from './people';

const teamWithMembers = group('payments-team', ['ada', 'linus']);
const emptyTeam = group('legacy-ops', []);
const related = [teamWithMembers, emptyTeam];

describe('people.team-owner', () => {
  it('passes when the owner is a group with members, naming the group and count', () => {
    const outcome = evaluateTeamOwner(
      signalsFor(component('checkout', { owner: 'payments-team' }), {
        related,
      }),
    );
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toBe(
      'Owned by group:default/payments-team, a group with 2 members.',
    );
    expect(outcome.evidence).toEqual([
      expect.objectContaining({
        label: 'spec.owner',
        ref: 'group:default/payments-team',
      }),
    ]);
  });

  it('accepts a full group ref', () => {
    expect(
      evaluateTeamOwner(
        signalsFor(
          component('checkout', { owner: 'group:default/payments-team' }),
          { related },
        ),
      ).status,
    ).toBe('pass');
  });

  it.each([
    [{}, 'spec.owner is not set'],
    [{ owner: '' }, 'spec.owner is not set'],
    [{ owner: 42 }, 'spec.owner is not a string (number)'],
    [{ owner: { name: 'x' } }, 'spec.owner is not a string (object)'],
    [{ owner: 'group:' }, 'is not a valid entity reference'],
    [{ owner: 'user:default/ada' }, 'is not a Group'],
    [{ owner: 'ghost-team' }, 'does not exist in the catalog'],
    [{ owner: 'legacy-ops' }, 'has no members'],
  ])('fails with a reason for owner %j, never throws', (spec, reason) => {
    const outcome = evaluateTeamOwner(
      signalsFor(component('svc', spec), { related }),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain(reason);
  });

  it('resolves a bare owner in the entity namespace', () => {
    const outcome = evaluateTeamOwner(
      signalsFor(
        component('svc', { owner: 'payments-team' }, { namespace: 'other' }),
        { related },
      ),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain('group:other/payments-team');
  });
});
