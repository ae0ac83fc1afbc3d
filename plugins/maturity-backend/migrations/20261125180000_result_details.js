// @ts-check

/**
 * The rubric's results: score, per-area levels, target and next steps.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('maturity_results', table => {
    table
      .integer('score')
      .notNullable()
      .defaultTo(0)
      .comment('Weight of passed checks over weight of counted checks, 0-100');
    table
      .text('details', 'longtext')
      .nullable()
      .comment(
        'Area levels, resolved target, next steps and annotation messages, JSON',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('maturity_results', table => {
    table.dropColumn('score');
    table.dropColumn('details');
  });
};
