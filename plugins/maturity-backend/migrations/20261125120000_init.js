// @ts-check

/**
 * The latest maturity result per entity, with a column for every filter the
 * summary page offers so those queries never parse JSON.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('maturity_results', table => {
    table.comment('Latest maturity evaluation result per catalog entity');
    table
      .string('entity_ref', 255)
      .primary()
      .notNullable()
      .comment('Full entity ref, kind:namespace/name, lower case');
    table.string('kind', 63).notNullable().comment('Entity kind, lower case');
    table.string('namespace', 63).notNullable().comment('Entity namespace');
    table.string('name', 255).notNullable().comment('Entity name');
    table.string('owner', 255).nullable().comment('Full ref of spec.owner');
    table.string('system', 255).nullable().comment('Full ref of spec.system');
    table.string('domain', 255).nullable().comment('Full ref of the domain');
    table.string('type', 63).nullable().comment('spec.type');
    table.string('lifecycle', 63).nullable().comment('spec.lifecycle');
    table.integer('level').notNullable().comment('Level reached, 0 to 5');
    table.integer('target_level').nullable().comment('Resolved target level');
    table
      .string('target_date', 10)
      .nullable()
      .comment('Resolved target date, YYYY-MM-DD');
    table
      .integer('passed')
      .notNullable()
      .defaultTo(0)
      .comment('Checks that passed');
    table
      .integer('failed')
      .notNullable()
      .defaultTo(0)
      .comment('Checks that failed');
    table
      .integer('unknown')
      .notNullable()
      .defaultTo(0)
      .comment('Checks whose signal could not be read');
    table
      .timestamp('evaluated_at', { useTz: true })
      .notNullable()
      .comment('When the stored result was computed');
    table
      .boolean('stale')
      .notNullable()
      .defaultTo(false)
      .comment(
        'True when the latest attempt failed and this is the last good result',
      );
    table
      .text('stale_reason')
      .nullable()
      .comment('Why the latest attempt failed');
    table
      .text('checks', 'longtext')
      .notNullable()
      .comment('Check results with evidence, JSON');
    table.index(['owner'], 'maturity_results_owner_idx');
    table.index(['system'], 'maturity_results_system_idx');
    table.index(['level'], 'maturity_results_level_idx');
    table.index(
      ['kind', 'namespace', 'name'],
      'maturity_results_kind_ns_name_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('maturity_results');
};
