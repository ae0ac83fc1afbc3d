import { countSharedPasses, SHARED_CHECKS } from './sharedChecks';

describe('countSharedPasses', () => {
  it('asks about each service in turn and counts the passes per shared check', async () => {
    const answers: Record<string, string[]> = {
      a: ['people.owner-set', 'people.team-owner'],
      b: ['people.owner-set'],
      c: [],
    };
    let inFlight = 0;
    const asked: string[] = [];
    const counts = await countSharedPasses(
      Object.keys(answers),
      async service => {
        inFlight++;
        expect(inFlight).toBe(1);
        asked.push(service);
        await new Promise(r => setTimeout(r, 1));
        inFlight--;
        return answers[service];
      },
      (passed, check) => passed.includes(check.maturity),
    );
    expect(asked).toEqual(['a', 'b', 'c']);
    expect(counts).toEqual({
      'owner set': 2,
      'owner is a group': 1,
      TechDocs: 0,
    });
    expect(Object.keys(counts)).toEqual(SHARED_CHECKS.map(s => s.id));
  });
});
