// @ts-check

/**
 * Moves the large JSON (checks with evidence, details) out of
 * maturity_results into maturity_result_checks, so the summary's scans over
 * maturity_results read small rows only: in SQLite a column stored after a
 * large text value is reached through its overflow pages, which made a
 * 10,000-row summary scan about seven times slower.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('maturity_result_checks', table => {
    table.comment('Checks and details of the latest result per entity');
    table
      .string('entity_ref', 255)
      .primary()
      .notNullable()
      .comment('Full entity ref, lower case');
    table
      .text('checks', 'longtext')
      .notNullable()
      .comment('Check results with evidence, JSON');
    table
      .text('details', 'longtext')
      .nullable()
      .comment(
        'Area levels, resolved target, next steps and annotation messages, JSON',
      );
  });
  await knex
    .insert(knex('maturity_results').select('entity_ref', 'checks', 'details'))
    .into('maturity_result_checks');
  await knex.schema.alterTable('maturity_results', table => {
    table.dropColumn('checks');
    table.dropColumn('details');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('maturity_results', table => {
    table.text('checks', 'longtext').nullable().comment('Check results, JSON');
    table.text('details', 'longtext').nullable().comment('Details, JSON');
  });
  const rows = await knex('maturity_result_checks').select();
  for (const row of rows) {
    await knex('maturity_results')
      .where('entity_ref', row.entity_ref)
      .update({ checks: row.checks, details: row.details });
  }
  await knex.schema.dropTable('maturity_result_checks');
};
