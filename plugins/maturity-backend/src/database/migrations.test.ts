import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { knex as createKnex, Knex } from 'knex';
import {
  createTestDatabases,
  expectEveryEngine,
} from '../__testUtils__/databases';
import { DatabaseAttestationStore } from './DatabaseAttestationStore';
import { DatabaseMaturityStore } from './DatabaseMaturityStore';
import { migrateLatest } from './migrate';

const databases = createTestDatabases();

it('runs on every database engine (set BACKSTAGE_TEST_DATABASE_<ID>_CONNECTION_STRING)', () => {
  expectEveryEngine(databases);
});

/** The directory DatabaseMaturityStore migrates from. */
const directory = resolvePackagePath(
  '@cnmaturity/plugin-maturity-backend',
  'migrations',
);

const TABLES = [
  'maturity_attestations',
  'maturity_dictionaries',
  'maturity_entities',
  'maturity_facts',
  'maturity_history',
  'maturity_repo_cache',
  'maturity_result_checks',
  'maturity_results',
  'maturity_scm_status',
  'maturity_sources',
  'maturity_state',
];

/** Tables added by the last migration, absent from the states before it. */
const LATER = ['maturity_scm_status', 'maturity_sources'];
const EARLIER_TABLES = TABLES.filter(t => !LATER.includes(t));

/** Columns of maturity_results that later migrations add or move. */
const RESULT_COLUMNS = [
  'checks',
  'score',
  'details',
  'title',
  'level_people',
  'level_business',
  'inputs_hash',
];

interface SchemaState {
  version: string;
  tables: string[];
  resultColumns: string[];
  /** The repository cache records the shared CI files it followed. */
  repoCacheSharedFiles?: true;
}

/** The schema after each migration, oldest first; index 0 is no migration. */
const STATES: SchemaState[] = [
  { version: 'none', tables: [], resultColumns: [] },
  {
    version: '20261125120000',
    tables: ['maturity_results'],
    resultColumns: ['checks'],
  },
  {
    version: '20261125180000',
    tables: ['maturity_results'],
    resultColumns: ['checks', 'score', 'details'],
  },
  {
    version: '20261125190000',
    tables: ['maturity_repo_cache', 'maturity_results'],
    resultColumns: ['checks', 'score', 'details'],
  },
  {
    version: '20261125193000',
    tables: ['maturity_facts', 'maturity_repo_cache', 'maturity_results'],
    resultColumns: ['checks', 'score', 'details'],
  },
  {
    version: '20261125210000',
    tables: EARLIER_TABLES.filter(
      t =>
        t !== 'maturity_result_checks' &&
        t !== 'maturity_entities' &&
        t !== 'maturity_state' &&
        t !== 'maturity_dictionaries',
    ),
    resultColumns: RESULT_COLUMNS,
  },
  {
    version: '20261125220000',
    tables: EARLIER_TABLES.filter(
      t =>
        t !== 'maturity_entities' &&
        t !== 'maturity_state' &&
        t !== 'maturity_dictionaries',
    ),
    resultColumns: RESULT_COLUMNS.filter(
      c => c !== 'checks' && c !== 'details',
    ),
  },
  {
    version: '20261125230000',
    tables: EARLIER_TABLES.filter(
      t => t !== 'maturity_state' && t !== 'maturity_dictionaries',
    ),
    resultColumns: RESULT_COLUMNS.filter(
      c => c !== 'checks' && c !== 'details',
    ),
  },
  {
    version: '20261125240000',
    tables: EARLIER_TABLES.filter(t => t !== 'maturity_dictionaries'),
    resultColumns: RESULT_COLUMNS.filter(
      c => c !== 'checks' && c !== 'details',
    ),
  },
  {
    version: '20261126000000',
    tables: EARLIER_TABLES,
    resultColumns: RESULT_COLUMNS.filter(
      c => c !== 'checks' && c !== 'details',
    ),
  },
  {
    version: '20261126120000',
    tables: EARLIER_TABLES,
    resultColumns: RESULT_COLUMNS.filter(
      c => c !== 'checks' && c !== 'details',
    ),
    repoCacheSharedFiles: true,
  },
  {
    version: '20261204120000',
    tables: TABLES,
    resultColumns: RESULT_COLUMNS.filter(
      c => c !== 'checks' && c !== 'details',
    ),
    repoCacheSharedFiles: true,
  },
];

async function schemaState(knex: Knex): Promise<SchemaState> {
  const tables: string[] = [];
  for (const table of TABLES) {
    if (await knex.schema.hasTable(table)) tables.push(table);
  }
  const resultColumns: string[] = [];
  if (tables.includes('maturity_results')) {
    for (const column of RESULT_COLUMNS) {
      if (await knex.schema.hasColumn('maturity_results', column)) {
        resultColumns.push(column);
      }
    }
  }
  const sharedFiles =
    tables.includes('maturity_repo_cache') &&
    (await knex.schema.hasColumn('maturity_repo_cache', 'shared_files'));
  return {
    version: await knex.migrate.currentVersion({ directory }),
    tables,
    resultColumns,
    ...(sharedFiles ? { repoCacheSharedFiles: true as const } : {}),
  };
}

// Every migration up, down and up again is dozens of DDL round trips; on
// MySQL, with the rest of the suite running beside it, that once took over
// 30 s.
jest.setTimeout(120_000);

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  async function init(id: TestDatabaseId) {
    const knex = await databases.init(id);
    return { knex, database: mockServices.database({ knex }) };
  }

  it('has one expected state per migration file', async () => {
    const { knex } = await init(databaseId);
    const [completed, pending] = await knex.migrate.list({ directory });
    expect(completed).toEqual([]);
    expect(pending.map((m: { file: string }) => m.file.slice(0, 14))).toEqual(
      STATES.slice(1).map(s => s.version),
    );
  });

  it('migrates from instances that start together on an empty database', async () => {
    const { knex } = await init(databaseId);
    // SQLite's test database lives in one process's memory.
    if (knex.client.config.client.includes('sqlite')) return;
    const others = [0, 1].map(() => createKnex(knex.client.config));
    try {
      await Promise.all(
        [knex, ...others].map(client => migrateLatest(client, {})),
      );
      expect(await schemaState(knex)).toEqual(STATES[STATES.length - 1]);
    } finally {
      await Promise.all(others.map(o => o.destroy()));
    }
  });

  it('migrates up, steps down one migration at a time to zero, and up again', async () => {
    const { knex, database } = await init(databaseId);
    expect(await schemaState(knex)).toEqual(STATES[0]);

    await knex.migrate.latest({ directory });
    expect(await schemaState(knex)).toEqual(STATES[STATES.length - 1]);

    for (let step = STATES.length - 2; step >= 0; step--) {
      await knex.migrate.down({ directory });
      expect(await schemaState(knex)).toEqual(STATES[step]);
    }
    // Nothing left to roll back: another down changes nothing.
    await knex.migrate.down({ directory });
    expect(await schemaState(knex)).toEqual(STATES[0]);

    for (let step = 1; step < STATES.length; step++) {
      await knex.migrate.up({ directory });
      expect(await schemaState(knex)).toEqual(STATES[step]);
    }

    // The re-applied schema serves the stores.
    const store = await DatabaseMaturityStore.create({ database });
    await store.upsertResults([
      {
        entityRef: 'component:default/svc',
        kind: 'component',
        namespace: 'default',
        name: 'svc',
        title: 'The Service',
        domain: 'domain:default/commerce',
        level: 2,
        evaluatedAt: new Date('2026-11-25T10:00:00.000Z'),
        checks: [],
        details: {
          areaLevels: {
            people: 2,
            process: 3,
            policy: 2,
            technology: 2,
            business: 1,
          },
          scorePercent: 61,
        },
        inputsHash: 'h-svc',
      },
    ]);
    expect(
      await store.listSummaryRows(
        { domain: ['domain:default/commerce'] },
        '2026-11-25',
      ),
    ).toEqual([
      {
        entityRef: 'component:default/svc',
        kind: 'component',
        namespace: 'default',
        name: 'svc',
        title: 'The Service',
        domain: 'domain:default/commerce',
        level: 2,
        areaLevels: {
          people: 2,
          process: 3,
          policy: 2,
          technology: 2,
          business: 1,
        },
        scorePercent: 61,
        gap: 0,
        behindTarget: false,
        overdue: false,
        passed: 0,
        failed: 0,
        unknown: 0,
        evaluatedAt: '2026-11-25T10:00:00.000Z',
        stale: false,
      },
    ]);
    expect(
      await store.getHistory('component:default/svc', '2026-11-25'),
    ).toEqual([
      {
        day: '2026-11-25',
        level: 2,
        areaLevels: {
          people: 2,
          process: 3,
          policy: 2,
          technology: 2,
          business: 1,
        },
        scorePercent: 61,
      },
    ]);
    expect(
      (await store.getInputHashes(['component:default/svc'])).get(
        'component:default/svc',
      ),
    ).toBe('h-svc');
    const attestations = await DatabaseAttestationStore.create({ database });
    const attestation = {
      entityRef: 'component:default/svc',
      checkId: 'people.certifications',
      attestedBy: 'user:default/jane',
      attestedAt: '2026-11-25T09:00:00.000Z',
      expiresOn: '2027-05-24',
      evidenceUrl: 'https://wiki.example.com/certs',
    };
    await attestations.addAttestation(attestation);
    expect(
      (await attestations.latestAttestations(['component:default/svc'])).get(
        'component:default/svc',
      ),
    ).toEqual([attestation]);
  });

  it('keeps results and daily history when the history migration is rolled back and re-applied', async () => {
    const { knex, database } = await init(databaseId);
    const store = await DatabaseMaturityStore.create({ database });
    const record = (day: string, level: 2 | 3) => ({
      entityRef: 'component:default/svc',
      kind: 'component',
      namespace: 'default',
      name: 'svc',
      title: 'The Service',
      owner: 'group:default/team-a',
      level,
      evaluatedAt: new Date(`${day}T10:00:00.000Z`),
      checks: [],
      details: { scorePercent: level * 20 },
      inputsHash: 'h-svc',
    });
    await store.upsertResults([record('2026-11-24', 2)]);
    await store.upsertResults([record('2026-11-25', 3)]);
    const result = await store.getResult('component:default/svc');
    const history = await store.getHistory(
      'component:default/svc',
      '2026-11-01',
    );
    expect(history.map(p => [p.day, p.level])).toEqual([
      ['2026-11-24', 2],
      ['2026-11-25', 3],
    ]);

    // Rolled back: history rows by entity ref and date string again.
    const beforeCompaction = '20261125220000';
    while (
      (await knex.migrate.currentVersion({ directory })) > beforeCompaction
    ) {
      await knex.migrate.down({ directory });
    }
    expect(await schemaState(knex)).toEqual(
      STATES.find(s => s.version === beforeCompaction),
    );
    const rows = await knex('maturity_history')
      .select('entity_ref', 'day', 'level')
      .orderBy('day');
    expect(rows.map(r => [r.entity_ref, r.day, Number(r.level)])).toEqual([
      ['component:default/svc', '2026-11-24', 2],
      ['component:default/svc', '2026-11-25', 3],
    ]);

    // Re-applied: the same result and history read back.
    await knex.migrate.latest({ directory });
    expect(await store.getResult('component:default/svc')).toEqual(result);
    expect(
      await store.getHistory('component:default/svc', '2026-11-01'),
    ).toEqual(history);
  });
});
