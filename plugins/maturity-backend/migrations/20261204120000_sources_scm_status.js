// @ts-check

/**
 * Which repository each evaluated entity reads, so a push event finds the
 * entities to re-evaluate with one indexed query; and what each SCM host's
 * request budget did last, so every instance can show it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('maturity_sources', table => {
    table.comment('The repository each evaluated entity reads');
    table
      .string('entity_ref', 255)
      .primary()
      .notNullable()
      .comment('Full entity ref, lower case');
    table
      .string('repository', 255)
      .notNullable()
      .comment('host/path of the repository, lower case');
    table.text('url').notNullable().comment('The source location URL read');
    table.index(['repository'], 'maturity_sources_repository_idx');
  });
  await knex.schema.createTable('maturity_scm_status', table => {
    table.comment('The request budget of each SCM host, as last seen');
    table.string('host', 255).primary().notNullable().comment('SCM host');
    table.text('status').notNullable().comment('JSON: limits, holds, progress');
    table
      .timestamp('updated_at', { useTz: false, precision: 3 })
      .notNullable()
      .comment('When an instance last wrote it');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('maturity_scm_status');
  await knex.schema.dropTable('maturity_sources');
};
