// @ts-check

/**
 * Facts pushed from CI (scan results, delivery metrics); the checks read the
 * latest per entity and source.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('maturity_facts', table => {
    table.comment('Facts pushed from CI for catalog entities');
    table.bigIncrements('id').comment('Row id');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Full entity ref, lower case');
    table
      .string('source', 63)
      .notNullable()
      .comment('What kind of fact, e.g. dora or container-scan');
    table
      .timestamp('timestamp', { useTz: true })
      .notNullable()
      .comment('When the fact was measured');
    table.text('values').notNullable().comment('The fact values, JSON');
    table
      .string('pushed_by', 255)
      .notNullable()
      .comment('The service principal that pushed it');
    table
      .timestamp('received_at', { useTz: true })
      .notNullable()
      .comment('When the backend received it');
    table.index(
      ['entity_ref', 'source', 'timestamp'],
      'maturity_facts_entity_source_ts_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('maturity_facts');
};
