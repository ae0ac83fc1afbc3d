// @ts-check

/**
 * The last good extraction of each repository with its etag, so an unchanged
 * repository costs one conditional request, and a failed read can fall back
 * to the last good extraction (marked stale) instead of losing the result.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('maturity_repo_cache', table => {
    table.comment('Last good extraction per repository URL, with its etag');
    table
      .string('url_hash', 64)
      .primary()
      .notNullable()
      .comment('sha256 of the URL: URLs can exceed index key limits');
    table.text('url').notNullable().comment('The source location URL read');
    table.string('etag', 255).nullable().comment('Etag returned by the SCM');
    table
      .integer('extraction_version')
      .notNullable()
      .comment('Shape version of the extraction; older ones are recomputed');
    table
      .text('extraction', 'longtext')
      .notNullable()
      .comment('The repository extraction, JSON');
    table
      .timestamp('read_at', { useTz: true })
      .notNullable()
      .comment('When the repository was last read successfully');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('maturity_repo_cache');
};
