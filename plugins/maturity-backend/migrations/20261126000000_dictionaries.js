// @ts-check

/**
 * Deflate dictionaries, learned from the first results and repository reads
 * a backend stores. Check results of different entities repeat the same
 * ids, messages and evidence labels, so with a preset dictionary each one
 * deflates to about a third of its size. Content-addressed and never
 * changed or deleted: every packed value names the dictionary it needs.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('maturity_dictionaries', table => {
    table.comment('Preset deflate dictionaries of packed JSON columns');
    table
      .string('id', 32)
      .primary()
      .notNullable()
      .comment('sha256 of the dictionary, hex, first 32 characters');
    table
      .string('purpose', 32)
      .notNullable()
      .comment('What it compresses: checks or extraction');
    table
      .text('dictionary')
      .notNullable()
      .comment('The dictionary, base64 (at most 32 KiB before encoding)');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When it was learned; the latest per purpose is used to write');
    table.index(['purpose', 'created_at'], 'maturity_dictionaries_purpose_idx');
  });
};

/**
 * Values packed with a dictionary (`z2:`) cannot be read without it; the
 * versions before this one do not read them either.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('maturity_dictionaries');
};
