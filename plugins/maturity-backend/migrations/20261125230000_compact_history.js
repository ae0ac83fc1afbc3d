// @ts-check

const AREAS = ['people', 'process', 'policy', 'technology', 'business'];
const DAY_MS = 24 * 60 * 60 * 1000;

/** @param {import('knex').Knex} knex */
const isSqlite = knex =>
  ['sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

/** `YYYY-MM-DD` as days since 1970-01-01 (UTC), and back. */
const toDayNumber = (/** @type {string} */ day) =>
  Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const toDayString = (/** @type {number} */ n) =>
  new Date(n * DAY_MS).toISOString().slice(0, 10);

/**
 * A compact daily history: 10,000 entities keep 3.65 million rows a year,
 * so each row holds small integers only. Entity refs become ids in
 * maturity_entities, days become day numbers, and the separate day index
 * goes (pruning scans the table once a day).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('maturity_entities', table => {
    table.comment('A short id per entity ref, for the history rows');
    table.increments('id').comment('Entity id');
    table
      .string('entity_ref', 255)
      .notNullable()
      .unique({ indexName: 'maturity_entities_ref_idx' })
      .comment('Full entity ref, lower case');
  });
  await knex.raw('INSERT INTO ?? (??) SELECT DISTINCT ?? FROM ??', [
    'maturity_entities',
    'entity_ref',
    'entity_ref',
    'maturity_history',
  ]);

  if (isSqlite(knex)) {
    // SQLite keeps a rowid table plus a copy of the key in its index; a
    // WITHOUT ROWID table is stored in key order once, 40% smaller here.
    await knex.raw(
      `CREATE TABLE maturity_history_days (
        entity_id integer NOT NULL,
        day integer NOT NULL,
        level smallint NOT NULL,
        ${AREAS.map(a => `level_${a} smallint`).join(',\n        ')},
        score smallint NOT NULL DEFAULT 0,
        PRIMARY KEY (entity_id, day)
      ) WITHOUT ROWID`,
    );
  } else {
    await knex.schema.createTable('maturity_history_days', table => {
      table.comment('One row per entity per day: the level reached that day');
      table.integer('entity_id').notNullable().comment('maturity_entities.id');
      table
        .integer('day')
        .notNullable()
        .comment('UTC day as days since 1970-01-01');
      table.smallint('level').notNullable().comment('Level reached, 0 to 5');
      for (const area of AREAS) {
        table
          .smallint(`level_${area}`)
          .nullable()
          .comment(`Level reached in the ${area} area`);
      }
      table
        .smallint('score')
        .notNullable()
        .defaultTo(0)
        .comment('Score, 0-100');
      table.primary(['entity_id', 'day']);
    });
  }
  const ids = new Map(
    (await knex('maturity_entities').select('id', 'entity_ref')).map(r => [
      r.entity_ref,
      r.id,
    ]),
  );
  // In pages, so a large history does not sit in memory at once.
  for (let offset = 0; ; offset += 5000) {
    const rows = await knex('maturity_history')
      .orderBy(['entity_ref', 'day'])
      .limit(5000)
      .offset(offset);
    if (rows.length === 0) break;
    const converted = rows.map(r => ({
      entity_id: ids.get(r.entity_ref),
      day: toDayNumber(r.day),
      level: r.level,
      ...Object.fromEntries(AREAS.map(a => [`level_${a}`, r[`level_${a}`]])),
      score: r.score,
    }));
    for (let i = 0; i < converted.length; i += 500) {
      await knex('maturity_history_days').insert(converted.slice(i, i + 500));
    }
  }
  await knex.schema.dropTable('maturity_history');
  await knex.schema.renameTable('maturity_history_days', 'maturity_history');
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.renameTable('maturity_history', 'maturity_history_days');
  await knex.schema.createTable('maturity_history', table => {
    table.comment('One row per entity per day: the level reached that day');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Full entity ref, lower case');
    table.string('day', 10).notNullable().comment('UTC day, YYYY-MM-DD');
    table.integer('level').notNullable().comment('Level reached, 0 to 5');
    for (const area of AREAS) {
      table
        .integer(`level_${area}`)
        .nullable()
        .comment(`Level reached in the ${area} area`);
    }
    table.integer('score').notNullable().defaultTo(0).comment('Score, 0-100');
    table.primary(['entity_ref', 'day']);
    table.index(['day'], 'maturity_history_day_idx');
  });
  const refs = new Map(
    (await knex('maturity_entities').select('id', 'entity_ref')).map(r => [
      r.id,
      r.entity_ref,
    ]),
  );
  for (let offset = 0; ; offset += 5000) {
    const rows = await knex('maturity_history_days')
      .orderBy(['entity_id', 'day'])
      .limit(5000)
      .offset(offset);
    if (rows.length === 0) break;
    const converted = rows.map(r => ({
      entity_ref: refs.get(r.entity_id),
      day: toDayString(r.day),
      level: r.level,
      ...Object.fromEntries(AREAS.map(a => [`level_${a}`, r[`level_${a}`]])),
      score: r.score,
    }));
    for (let i = 0; i < converted.length; i += 500) {
      await knex('maturity_history').insert(converted.slice(i, i + 500));
    }
  }
  await knex.schema.dropTable('maturity_history_days');
  await knex.schema.dropTable('maturity_entities');
};
