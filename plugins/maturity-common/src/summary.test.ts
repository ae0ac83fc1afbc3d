import { summaryQueryFromParams, summaryQueryToParams } from './summary';

describe('summary query in the URL', () => {
  it('round-trips every filter, the order and the page size', () => {
    const query = {
      owner: ['group:default/a', 'group:default/b'],
      system: ['system:default/s'],
      lifecycle: ['production'],
      level: [0, 3] as Array<0 | 3>,
      behindTarget: true,
      overdue: false,
      q: 'checkout',
      order: 'level:desc',
      limit: 25,
    };
    expect(
      summaryQueryFromParams(
        new URLSearchParams(summaryQueryToParams(query).toString()),
      ),
    ).toEqual(query);
  });

  it('drops values a hand-edited URL got wrong instead of sending them', () => {
    expect(
      summaryQueryFromParams(
        new URLSearchParams(
          'level=1,9,x&behindTarget=maybe&limit=100000&q=%20',
        ),
      ),
    ).toEqual({ level: [1] });
  });
});
