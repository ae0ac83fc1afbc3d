import fs from 'fs';
import path from 'path';
import { Worker } from 'node:worker_threads';
import { create as createTar } from 'tar';
import { mockServices } from '@backstage/backend-test-utils';
import { packJson, unpackJson } from '../database/packedJson';
import { loadRepo } from '@cnmaturity/plugin-maturity-rules/testUtils';
import { EXAMPLES_DIR } from '../__testUtils__/examples';
import { workerPool } from '../__testUtils__/workerPool';
import { ExtractionPool, inlineExtractor } from './ExtractionPool';

const EXAMPLE_REPOS = path.join(EXAMPLES_DIR, 'repos');
const examples = fs
  .readdirSync(EXAMPLE_REPOS)
  .map(name => [name, loadRepo(path.join(EXAMPLE_REPOS, name))] as const);

// Workers start and die several times in a test: seconds on a loaded machine.
jest.setTimeout(30_000);

describe('ExtractionPool', () => {
  it('extracts every example repository on a worker exactly as on the event loop', async () => {
    const logger = mockServices.logger.mock();
    const pool = workerPool(logger);
    const inline = inlineExtractor();
    try {
      for (const [name, files] of examples) {
        const request = { files, maxFileBytes: 64 * 1024 };
        const [onWorker, onLoop] = await Promise.all([
          pool.extract(request),
          inline.extract(request),
        ]);
        expect({ name, ...onWorker }).toEqual({ name, ...onLoop });
      }
      expect(pool.counts).toEqual({ onWorkers: examples.length, inline: 0 });
      expect(logger.warn).not.toHaveBeenCalled();
    } finally {
      await pool.close();
    }
  });

  it('unpacks a repository archive on a worker to the same extraction as its files', async () => {
    const pool = workerPool(mockServices.logger.mock());
    try {
      for (const [name, files] of examples) {
        // As an SCM serves it: a tar.gz with one top directory.
        const archive = createTar(
          { cwd: EXAMPLE_REPOS, gzip: true, sync: true, portable: true },
          [name],
        ).read() as Buffer;
        const fromArchive = await pool.extract({
          archive,
          stripFirstDirectory: true,
          maxFileBytes: 64 * 1024,
        });
        const fromFiles = await inlineExtractor().extract({
          files,
          maxFileBytes: 64 * 1024,
        });
        expect({ name, ...fromArchive }).toEqual({ name, ...fromFiles });
        expect(fromArchive.extraction.files.length).toBeGreaterThan(0);
      }
      expect(pool.counts.onWorkers).toBe(examples.length);
    } finally {
      await pool.close();
    }
  });

  it('fails the job, not the worker, on an archive that is not one', async () => {
    const pool = workerPool(mockServices.logger.mock());
    try {
      const html = Buffer.from('<html>502 Bad Gateway</html>'.repeat(20));
      const request = { archive: html, stripFirstDirectory: true };
      await expect(
        pool.extract({ ...request, maxFileBytes: 1024 }),
      ).rejects.toThrow('invalid tar header at byte 0 (checksum)');
      await expect(
        inlineExtractor().extract({ ...request, maxFileBytes: 1024 }),
      ).rejects.toThrow('invalid tar header at byte 0 (checksum)');
      const [, files] = examples[0];
      await pool.extract({ files, maxFileBytes: 64 * 1024 });
      expect(pool.counts).toEqual({ onWorkers: 1, inline: 0 });
    } finally {
      await pool.close();
    }
  });

  it('spreads jobs over its workers and answers each job with its own repository', async () => {
    const pool = new ExtractionPool({
      ...workerPoolOptions(),
      workers: 2,
    });
    try {
      const results = await Promise.all(
        examples.map(([, files]) =>
          pool.extract({ files, maxFileBytes: 64 * 1024 }),
        ),
      );
      const expected = await Promise.all(
        examples.map(([, files]) =>
          inlineExtractor().extract({ files, maxFileBytes: 64 * 1024 }),
        ),
      );
      expect(results).toEqual(expected);
      expect(pool.counts.onWorkers).toBe(examples.length);
    } finally {
      await pool.close();
    }
  });

  it('parses on the event loop when a worker cannot start, and says so once', async () => {
    const logger = mockServices.logger.mock();
    const pool = new ExtractionPool({
      workers: 2,
      logger,
      execArgv: ['--require', '/nonexistent/hook.cjs'],
    });
    try {
      const [name, files] = examples[0];
      const outcome = await pool.extract({ files, maxFileBytes: 64 * 1024 });
      const again = await pool.extract({ files, maxFileBytes: 64 * 1024 });
      const expected = await inlineExtractor().extract({
        files,
        maxFileBytes: 64 * 1024,
      });
      expect({ name, ...outcome }).toEqual({ name, ...expected });
      expect(again).toEqual(expected);
      expect(pool.counts).toEqual({ onWorkers: 0, inline: 2 });
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0][0]).toMatch(
        /^A repository extraction worker stopped \(Error: Cannot find module '\/nonexistent\/hook.cjs'\); its repositories are parsed on the event loop/,
      );
    } finally {
      await pool.close();
    }
  });

  it('deflates packed JSON on a worker that unpackJson reads back, sending each dictionary once', async () => {
    const pool = workerPool();
    const value = {
      checks: Array.from({ length: 40 }, (_, i) => ({
        checkId: `technology.check-${i}`,
        status: i % 3 ? 'pass' : 'fail',
        message: `Found a Dockerfile at services/${i}/Dockerfile`,
      })),
    };
    const dictionary = {
      id: 'd1',
      bytes: Buffer.from(JSON.stringify(value).repeat(3)),
    };
    const post = jest.spyOn(Worker.prototype, 'postMessage');
    try {
      const plain = await packJson(value, undefined, pool.deflate);
      const packed = await Promise.all(
        [1, 2, 3].map(() => packJson(value, dictionary, pool.deflate)),
      );
      expect(plain).toMatch(/^z1:/);
      expect(unpackJson(plain)).toEqual(value);
      for (const text of packed) {
        expect(text).toMatch(/^z2:d1:/);
        expect(unpackJson(text, () => dictionary.bytes)).toEqual(value);
      }
      // With the dictionary, a result is a fraction of its plain deflate.
      expect(packed[0].length).toBeLessThan(plain.length / 2);
      const sentDictionaries = post.mock.calls.filter(
        ([m]) => (m as { dictionary?: unknown }).dictionary,
      );
      expect(sentDictionaries).toHaveLength(1);
    } finally {
      post.mockRestore();
      await pool.close();
    }
    // Closed: deflated on libuv's pool instead, read back the same.
    const after = await packJson(value, dictionary, pool.deflate);
    expect(unpackJson(after, () => dictionary.bytes)).toEqual(value);
  });

  it('replaces a worker that dies after working, up to three times, then parses on the event loop', async () => {
    const logger = mockServices.logger.mock();
    const pool = workerPool(logger);
    const [, files] = examples[0];
    const request = { files, maxFileBytes: 64 * 1024 };
    const workerOf = () =>
      (pool as unknown as { workers: Array<{ worker: Worker }> }).workers[0]
        .worker;
    try {
      for (let i = 0; i < 4; i++) {
        await pool.extract(request);
        // As a crash would: the thread ends under the pool.
        const dying = workerOf();
        const exited = new Promise(resolve => dying.once('exit', resolve));
        await dying.terminate();
        await exited;
      }
      await pool.extract(request);
      expect(pool.counts).toEqual({ onWorkers: 4, inline: 1 });
      expect(logger.warn.mock.calls.map(c => c[0])).toEqual([
        expect.stringMatching(
          /stopped \(exit code 1\); started another \(1 of 3\)$/,
        ),
        expect.stringMatching(/started another \(2 of 3\)$/),
        expect.stringMatching(/started another \(3 of 3\)$/),
        expect.stringMatching(/its repositories are parsed on the event loop$/),
      ]);
    } finally {
      await pool.close();
    }
  });

  it('stops its workers when idle and starts them again for the next job', async () => {
    const logger = mockServices.logger.mock();
    const pool = new ExtractionPool({
      ...workerPoolOptions(),
      logger,
      workers: 1,
      idleMs: 100,
    });
    try {
      const [, files] = examples[0];
      const request = { files, maxFileBytes: 64 * 1024 };
      const expected = await inlineExtractor().extract(request);
      expect(await pool.extract(request)).toEqual(expected);
      expect(pool.running).toBe(1);
      await new Promise(r => setTimeout(r, 400));
      expect(pool.running).toBe(0);
      expect(await pool.extract(request)).toEqual(expected);
      expect(pool.running).toBe(1);
      // Both on a worker; a stop on purpose is no failure.
      expect(pool.counts).toEqual({ onWorkers: 2, inline: 0 });
      expect(logger.warn).not.toHaveBeenCalled();
    } finally {
      await pool.close();
    }
    expect(pool.running).toBe(0);
  });

  it('with no workers, or once closed, parses on the event loop', async () => {
    const [, files] = examples[0];
    const none = new ExtractionPool({
      workers: 0,
      logger: mockServices.logger.mock(),
    });
    await none.extract({ files, maxFileBytes: 64 * 1024 });
    expect(none.counts).toEqual({ onWorkers: 0, inline: 1 });

    const closed = workerPool();
    await closed.extract({ files, maxFileBytes: 64 * 1024 });
    await closed.close();
    await closed.extract({ files, maxFileBytes: 64 * 1024 });
    expect(closed.counts).toEqual({ onWorkers: 1, inline: 1 });
  });
});

function workerPoolOptions() {
  return {
    workers: 1,
    logger: mockServices.logger.mock(),
    execArgv: [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
    ],
  };
}
