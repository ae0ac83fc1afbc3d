// @ts-check

/**
 * A version of the stored results, bumped in every write transaction, so
 * each backend instance can keep the summary rows in memory and know, with
 * one primary-key read, when another instance has changed them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('maturity_state', table => {
    table.comment('Counters shared by all backend instances');
    table.string('key', 63).primary().notNullable().comment('Counter name');
    table.bigInteger('value').notNullable().defaultTo(0).comment('Its value');
  });
  await knex('maturity_state').insert({ key: 'results_version', value: 0 });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('maturity_state');
};
