// @ts-check

/**
 * The shared CI files (reusable workflows, included templates) each cached
 * extraction followed, with their versions: an unchanged repository is
 * re-extracted when a template it calls changes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('maturity_repo_cache', table => {
    table
      .text('shared_files')
      .nullable()
      .comment('JSON list of {url, etag} of the shared CI files followed');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('maturity_repo_cache', table => {
    table.dropColumn('shared_files');
  });
};
