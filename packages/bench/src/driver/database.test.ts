import knexFactory, { Knex } from 'knex';
import { simulateHistory } from './database';

describe('simulateHistory', () => {
  let knex: Knex;
  beforeEach(() => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
  });
  afterEach(() => knex.destroy());

  it('copies the latest day back, with day numbers', async () => {
    await knex.schema.createTable('maturity_history', t => {
      t.integer('entity_id');
      t.integer('day');
      t.smallint('level');
      t.smallint('score');
      t.primary(['entity_id', 'day']);
    });
    await knex('maturity_history').insert([
      { entity_id: 1, day: 20000, level: 3, score: 70 },
      { entity_id: 2, day: 20000, level: 0, score: 10 },
      { entity_id: 1, day: 19990, level: 1, score: 5 },
    ]);
    const { rows } = await simulateHistory(knex, 4);
    expect(rows).toBe(3 + 2 * 3);
    const e1 = await knex('maturity_history')
      .where({ entity_id: 1 })
      .orderBy('day');
    expect(e1.map(r => [r.day, r.level])).toEqual([
      [19990, 1],
      [19997, 2], // the older half one level lower
      [19998, 3],
      [19999, 3],
      [20000, 3],
    ]);
  });

  it('copies the latest day back, with date strings', async () => {
    await knex.schema.createTable('maturity_history', t => {
      t.string('entity_ref');
      t.string('day', 10);
      t.integer('level');
      t.primary(['entity_ref', 'day']);
    });
    await knex('maturity_history').insert([
      { entity_ref: 'component:default/a', day: '2026-03-01', level: 0 },
    ]);
    await simulateHistory(knex, 3);
    const days = await knex('maturity_history').orderBy('day').pluck('day');
    expect(days).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});
