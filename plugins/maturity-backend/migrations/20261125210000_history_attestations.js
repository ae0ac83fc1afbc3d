// @ts-check

const AREAS = ['people', 'process', 'policy', 'technology', 'business'];

/**
 * Daily history, owners' attestations, and the columns the summary and the
 * skip-unchanged logic need on the latest result.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('maturity_results', table => {
    table.string('title', 255).nullable().comment('metadata.title, for search');
    for (const area of AREAS) {
      table
        .integer(`level_${area}`)
        .nullable()
        .comment(`Level reached in the ${area} area`);
    }
    table
      .string('inputs_hash', 64)
      .nullable()
      .comment(
        'Hash of everything the result was computed from; an unchanged hash skips re-evaluation',
      );
    table.index(['domain'], 'maturity_results_domain_idx');
  });

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

  await knex.schema.createTable('maturity_attestations', table => {
    table.comment('Owners attesting checks that no machine can see');
    table.bigIncrements('id').comment('Row id');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Full entity ref, lower case');
    table.string('check_id', 127).notNullable().comment('The attested check');
    table
      .string('attested_by', 255)
      .notNullable()
      .comment('User entity ref of who attested');
    table
      .timestamp('attested_at', { useTz: true })
      .notNullable()
      .comment('When it was attested');
    table
      .string('expires_on', 10)
      .notNullable()
      .comment('YYYY-MM-DD; holds through this day');
    table.text('evidence_url').notNullable().comment('Link to the evidence');
    table.text('comment').nullable().comment('What was attested, briefly');
    table.index(
      ['entity_ref', 'check_id'],
      'maturity_attestations_entity_check_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('maturity_attestations');
  await knex.schema.dropTable('maturity_history');
  await knex.schema.alterTable('maturity_results', table => {
    table.dropIndex(['domain'], 'maturity_results_domain_idx');
    table.dropColumn('title');
    for (const area of AREAS) table.dropColumn(`level_${area}`);
    table.dropColumn('inputs_hash');
  });
};
