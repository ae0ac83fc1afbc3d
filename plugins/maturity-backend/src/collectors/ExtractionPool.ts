import { parentPort, Worker, workerData } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import type { MaturityCheckDefinition } from '@cnmaturity/plugin-maturity-common';
import {
  extractPrepared,
  parseYaml,
  prepareRepository,
  PreparedRepository,
  type EntityResultRecord,
  type RepoExtraction,
  RepoFile,
  sharedCiReferences,
  type SharedReference,
  type ToolPatterns,
  YamlDoc,
} from '@cnmaturity/plugin-maturity-rules';
import {
  deflateOnThreadPool,
  type PackDictionary,
} from '../database/packedJson';
import {
  FileNote,
  filesOfSource,
  prepareSource,
  RepositorySource,
} from './repoFiles';
import { EvaluationQueue } from './EvaluationQueue';
import {
  KeptEntitiesReceiver,
  KeptEntitiesSender,
  SentEntity,
} from './keptEntities';
import type { ResolvedSharedCi, SharedCiFileText } from './SharedCiReader';
import {
  type EvaluationJob,
  type PreparedEvaluation,
  runEvaluationJob,
} from '../engine/evaluationJob';
import {
  checksRunElsewhere,
  evaluationSetup,
  EvaluationSetup,
} from '../engine/evaluationSetup';

// This module is both sides of the pool: the event loop's (ExtractionPool)
// and the worker's (runExtractionWorker). It imports only the pure
// extraction, so a worker loads little.

/** One repository's files (or archive) to extract, and how to follow its shared CI. */
export type ExtractionRequest = RepositorySource & {
  maxFileBytes: number;
  /** Owners whose actions are followed; without it shared CI is not looked for. */
  organizations?: ReadonlySet<string>;
  /** Reads the shared files the repository calls (on the event loop). */
  resolveShared?: (references: SharedReference[]) => Promise<ResolvedSharedCi>;
};

export interface ExtractionOutcome {
  extraction: RepoExtraction;
  /** The shared files followed, when there were any. */
  shared?: ResolvedSharedCi;
}

/** Turns a repository's files into the extraction the checks read. */
export interface Extractor {
  extract(request: ExtractionRequest): Promise<ExtractionOutcome>;
  close(): Promise<void>;
}

/** On the event loop: what tests and a pool without workers use. */
export function inlineExtractor(tools?: Partial<ToolPatterns>): Extractor {
  return {
    async extract(request) {
      const prepared = prepareSource(request, request.maxFileBytes);
      const references = request.organizations
        ? sharedCiReferences(prepared, request.organizations)
        : [];
      const shared =
        references.length && request.resolveShared
          ? await request.resolveShared(references)
          : undefined;
      const extraction = extractPrepared(prepared, {
        maxFileBytes: request.maxFileBytes,
        tools,
        ...(shared ? { sharedCi: shared.context } : {}),
      });
      return { extraction, ...(shared ? { shared } : {}) };
    },
    close: async () => {},
  };
}

type ToWorker =
  | {
      type: 'prepare';
      id: number;
      /** Every file's bytes, or the archive, in one transferred buffer. */
      bytes: ArrayBuffer;
      source:
        | {
            files: Array<{ path: string; start: number; end: number }>;
            skipped?: readonly FileNote[];
          }
        | { stripFirstDirectory: boolean };
      maxFileBytes: number;
      organizations?: string[];
    }
  | {
      type: 'extract';
      id: number;
      files: Array<[string, SharedCiFileText]>;
      organizations: string[];
      maxDepth: number;
    }
  | { type: 'drop'; id: number }
  | {
      type: 'evaluate';
      id: number;
      job: Omit<EvaluationJob, 'related'>;
      related: SentEntity[];
      dictionaryId?: string;
      /** Sent with the first job that needs it; the worker keeps it. */
      dictionary?: Uint8Array;
    }
  | {
      type: 'deflate';
      id: number;
      json: string;
      dictionaryId?: string;
      /** Sent with the first job that needs it; the worker keeps it. */
      dictionary?: Uint8Array;
    };

/**
 * CPU time the workers spent, by what on: `read` is inflating, walking and
 * selecting a repository's files (what any reader of the archive does),
 * `parse` turning them into the extraction, `evaluate` and `deflate` the
 * jobs of those names.
 */
export type WorkerCpu = Record<
  'read' | 'parse' | 'evaluate' | 'deflate',
  number
>;

type FromWorker = (
  | { id: number; extraction: RepoExtraction }
  | { id: number; deflated: Uint8Array }
  | { id: number; references: SharedReference[] }
  | { id: number; record: EntityResultRecord }
  /** The worker cannot evaluate with the plugin's rubric; the reason. */
  | { id: number; unavailable: string }
  | { id: number; error: string }
) & {
  /** CPU microseconds the job took on the worker's thread. */
  cpuUs?: Partial<WorkerCpu>;
};

interface Pending {
  resolve(reply: FromWorker): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
  /** It answered at least once: it did start. */
  answered: boolean;
  /** Deflate dictionaries the worker holds. */
  dictionaries: Set<string>;
  /** Related entities the worker keeps. */
  related: KeptEntitiesSender;
}

/** The worker's reply never came: the job is done on the event loop. */
class WorkerGone extends Error {}

/** What workers need to evaluate entities with the plugin's rubric. */
export interface EvaluationOptions {
  /** The `maturity` config. */
  config: JsonObject;
  /** Checks other modules added, in the order they were added. */
  addedChecks?: MaturityCheckDefinition[];
}

/**
 * Jobs a worker may have before it is sent an evaluation: enough that it
 * does not wait for the event loop between jobs.
 */
const EVALUATION_DEPTH = 4;

/** Workers that stop after working are replaced this many times in all. */
const MAX_RESTARTS = 3;

/**
 * Workers idle this long are stopped and started again on the next job. A
 * worker holds its own heap and code (about 200 MiB in the 10,000-service
 * bench), which would otherwise sit unused between cycles.
 */
const DEFAULT_WORKER_IDLE_MS = 5_000;

/**
 * Unpacks and parses repositories on worker threads, so that archives, YAML
 * parsing and CI recognition (about half of a cycle on the event loop) use
 * the other cores while the event loop downloads, evaluates checks and
 * writes results.
 * Shared CI files are still read on the event loop: a worker asks for them
 * between parsing and extraction. A worker that dies after working is
 * replaced (three times in all); jobs it had, and all jobs once none is
 * left, run on the event loop, so extraction never depends on a worker.
 */
export class ExtractionPool implements Extractor {
  /**
   * What a worker runs. A static of the exported class, so that the built
   * module keeps it (an unused export would be tree-shaken away).
   */
  static readonly workerMain = runExtractionWorker;

  private workers: PoolWorker[] | undefined;
  private readonly inline: Extractor;
  private nextId = 1;
  private warned = false;
  private restarts = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private evaluationUnavailable = false;
  /** Repositories extracted on a worker, and on the event loop. */
  readonly counts = { onWorkers: 0, inline: 0 };
  /** Entities evaluated on a worker. */
  evaluatedOnWorkers = 0;
  private readonly cpuUs: WorkerCpu = {
    read: 0,
    parse: 0,
    evaluate: 0,
    deflate: 0,
  };

  /** CPU milliseconds the workers spent so far, by what on (see WorkerCpu). */
  cpuMs(): WorkerCpu {
    const ms = (us: number) => us / 1000;
    return {
      read: ms(this.cpuUs.read),
      parse: ms(this.cpuUs.parse),
      evaluate: ms(this.cpuUs.evaluate),
      deflate: ms(this.cpuUs.deflate),
    };
  }

  constructor(
    private readonly options: {
      /** 0: everything on the event loop. */
      workers: number;
      tools?: Partial<ToolPatterns>;
      logger: LoggerService;
      /** Node options of the workers; by default the process's own. */
      execArgv?: string[];
      /** See DEFAULT_WORKER_IDLE_MS. */
      idleMs?: number;
      /**
       * The `maturity` config and the definitions of checks other modules
       * added, for workers to evaluate entities with the rubric they
       * describe (see evaluate); without it they do not.
       */
      evaluation?: EvaluationOptions;
    },
  ) {
    this.inline = inlineExtractor(options.tools);
  }

  async extract(request: ExtractionRequest): Promise<ExtractionOutcome> {
    const target = this.pick();
    if (target) {
      try {
        const outcome = await this.onWorker(target, request);
        this.counts.onWorkers++;
        return outcome;
      } catch (e) {
        if (!(e instanceof WorkerGone)) throw e;
      }
    }
    this.counts.inline++;
    return this.inline.extract(request);
  }

  /**
   * Deflates packed JSON on a worker (see packJson): the workers have spare
   * time while the event loop evaluates and writes, and a deflate with a
   * 32 KiB dictionary costs the event loop as much on libuv's pool as inline.
   */
  readonly deflate = async (
    json: string,
    dictionary?: PackDictionary,
  ): Promise<Buffer> => {
    const target = this.pick();
    if (target) {
      const id = this.nextId++;
      const send = dictionary && !target.dictionaries.has(dictionary.id);
      if (send) target.dictionaries.add(dictionary.id);
      try {
        const reply = await this.send(target, {
          type: 'deflate',
          id,
          json,
          ...(dictionary ? { dictionaryId: dictionary.id } : {}),
          ...(send ? { dictionary: dictionary.bytes } : {}),
        });
        if ('deflated' in reply) {
          return Buffer.from(
            reply.deflated.buffer,
            reply.deflated.byteOffset,
            reply.deflated.byteLength,
          );
        }
        if ('error' in reply) throw new Error(reply.error);
      } catch (e) {
        if (!(e instanceof WorkerGone)) throw e;
      }
    }
    return deflateOnThreadPool(json, dictionary);
  };

  /**
   * Evaluates an entity on a worker or, `onLoop`, on the event loop,
   * whichever is free first (see EvaluationQueue): unpacking its cached
   * extraction, running the checks and scoring take most of a cycle that
   * re-evaluates from cached extractions (after a rubric change, and
   * daily). On the event loop always without workers, without `evaluation`
   * config, or once the workers build another rubric than the job's.
   */
  evaluate(
    prepared: PreparedEvaluation,
    onLoop: () => EntityResultRecord,
  ): Promise<EntityResultRecord> {
    if (
      !this.options.evaluation ||
      this.evaluationUnavailable ||
      this.options.workers === 0
    ) {
      return Promise.resolve().then(onLoop);
    }
    return this.evaluations.submit(
      () => this.evaluateOnWorker(prepared),
      onLoop,
    );
  }

  private readonly evaluations = new EvaluationQueue<EntityResultRecord>(
    () => !!this.pick(EVALUATION_DEPTH),
  );

  /** Undefined: it must run on the event loop after all. */
  private async evaluateOnWorker({
    job,
    dictionary,
  }: PreparedEvaluation): Promise<EntityResultRecord | undefined> {
    const target = this.pick(EVALUATION_DEPTH);
    if (!target) return undefined;
    const id = this.nextId++;
    const send = dictionary && !target.dictionaries.has(dictionary.id);
    if (send) target.dictionaries.add(dictionary.id);
    let reply: FromWorker;
    try {
      const { related, ...rest } = job;
      reply = await this.send(target, {
        type: 'evaluate',
        id,
        job: rest,
        related: target.related.encode(related),
        ...(dictionary ? { dictionaryId: dictionary.id } : {}),
        ...(send ? { dictionary: dictionary.bytes } : {}),
      });
    } catch (e) {
      if (e instanceof WorkerGone) return undefined;
      throw e;
    }
    if ('record' in reply) {
      this.evaluatedOnWorkers++;
      // A Date of this realm: a cloned one fails `instanceof` where the
      // caller runs in a context of its own (Jest's, for one).
      return {
        ...reply.record,
        evaluatedAt: new Date(reply.record.evaluatedAt.getTime()),
      };
    }
    if ('unavailable' in reply) {
      if (!this.evaluationUnavailable) {
        this.options.logger.warn(
          `The extraction workers cannot evaluate entities (${reply.unavailable}); they are evaluated on the event loop`,
        );
      }
      this.evaluationUnavailable = true;
      return undefined;
    }
    if ('error' in reply) throw new Error(reply.error);
    throw new Error('unexpected worker reply');
  }

  /** Workers running now (they start on the first job, stop when idle). */
  get running(): number {
    return this.workers?.filter(w => w.alive).length ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await this.stopWorkers([]);
  }

  /** Stops the workers; `next` is what later jobs see ([] for none). */
  private async stopWorkers(next: PoolWorker[] | undefined) {
    const workers = this.workers ?? [];
    this.workers = next;
    for (const w of workers) {
      // Stopped on purpose: no warning, and pending jobs finish inline.
      w.alive = false;
      for (const p of w.pending.values()) p.reject(new WorkerGone('closed'));
      w.pending.clear();
    }
    await Promise.all(workers.map(w => w.worker.terminate()));
  }

  /**
   * The live worker with the fewest jobs, if it has fewer than `below`;
   * started on first use.
   */
  private pick(below = Infinity): PoolWorker | undefined {
    this.workers ??= Array.from({ length: this.options.workers }, (_, slot) =>
      this.start(slot),
    );
    let best: PoolWorker | undefined;
    for (const w of this.workers) {
      if (w.alive && (!best || w.pending.size < best.pending.size)) best = w;
    }
    return best && best.pending.size < below ? best : undefined;
  }

  private start(slot: number): PoolWorker {
    // The worker loads this very module (compiled, or through the process's
    // TypeScript hook in development), so no separate entry file is built.
    const worker = new Worker(
      `require(${JSON.stringify(__filename)}).ExtractionPool.workerMain();`,
      {
        eval: true,
        workerData: {
          tools: this.options.tools,
          evaluation: this.options.evaluation,
        },
        ...(this.options.execArgv ? { execArgv: this.options.execArgv } : {}),
      },
    );
    worker.unref();
    const self: PoolWorker = {
      worker,
      pending: new Map(),
      alive: true,
      answered: false,
      dictionaries: new Set(),
      related: new KeptEntitiesSender(),
    };
    const fail = (reason: string) => {
      if (!self.alive) return;
      self.alive = false;
      for (const p of self.pending.values()) p.reject(new WorkerGone(reason));
      self.pending.clear();
      // One that worked and then died (a crash, out of memory) is replaced;
      // one that cannot start would fail again.
      const replace =
        self.answered &&
        this.restarts < MAX_RESTARTS &&
        this.workers?.[slot] === self;
      if (replace) {
        this.restarts++;
        this.options.logger.warn(
          `A repository extraction worker stopped (${reason}); started another (${this.restarts} of ${MAX_RESTARTS})`,
        );
        this.workers![slot] = this.start(slot);
      } else if (!this.warned) {
        this.warned = true;
        this.options.logger.warn(
          `A repository extraction worker stopped (${reason}); its repositories are parsed on the event loop`,
        );
      }
    };
    worker.on('message', (reply: FromWorker) => {
      self.answered = true;
      for (const [kind, us] of Object.entries(reply.cpuUs ?? {})) {
        this.cpuUs[kind as keyof WorkerCpu] += us;
      }
      const p = self.pending.get(reply.id);
      self.pending.delete(reply.id);
      p?.resolve(reply);
    });
    worker.on('error', e => fail(String(e).split('\n')[0].slice(0, 300)));
    worker.on('exit', code => fail(`exit code ${code}`));
    return self;
  }

  private send(
    w: PoolWorker,
    message: ToWorker,
    transfer: ArrayBuffer[] = [],
  ): Promise<FromWorker> {
    if (!w.alive) return Promise.reject(new WorkerGone('stopped'));
    clearTimeout(this.idleTimer);
    return new Promise<FromWorker>((resolve, reject) => {
      w.pending.set(message.id, { resolve, reject });
      w.worker.postMessage(message, transfer);
    }).finally(() => this.stopWhenIdle());
  }

  /** Once no worker has a job, stops them all after the idle time. */
  private stopWhenIdle() {
    if (this.closed || this.workers?.some(w => w.pending.size > 0)) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.closed || this.workers?.some(w => w.pending.size > 0)) return;
      // Undefined: the next job starts them again.
      this.stopWorkers(undefined).catch(() => {});
    }, this.options.idleMs ?? DEFAULT_WORKER_IDLE_MS);
    this.idleTimer.unref();
  }

  private async onWorker(
    w: PoolWorker,
    request: ExtractionRequest,
  ): Promise<ExtractionOutcome> {
    const id = this.nextId++;
    // A copy: the request stays whole for the event loop if the worker dies.
    const { bytes, source } =
      'files' in request
        ? packFiles(request.files, request.skipped)
        : {
            bytes: new Uint8Array(request.archive).buffer as ArrayBuffer,
            source: { stripFirstDirectory: request.stripFirstDirectory },
          };
    const first = await this.send(
      w,
      {
        type: 'prepare',
        id,
        bytes,
        source,
        maxFileBytes: request.maxFileBytes,
        ...(request.organizations
          ? { organizations: [...request.organizations] }
          : {}),
      },
      [bytes],
    );
    if ('error' in first) throw new Error(first.error);
    if ('extraction' in first) return { extraction: first.extraction };
    if (!('references' in first)) throw new Error('unexpected worker reply');
    let shared: ResolvedSharedCi;
    try {
      shared = await request.resolveShared!(first.references);
    } catch (e) {
      w.worker.postMessage({ type: 'drop', id } satisfies ToWorker);
      throw e;
    }
    const second = await this.send(w, {
      type: 'extract',
      id,
      files: shared.texts,
      organizations: [...shared.context.organizations],
      maxDepth: shared.context.maxDepth,
    });
    if ('error' in second) throw new Error(second.error);
    if (!('extraction' in second)) throw new Error('unexpected worker reply');
    return { extraction: second.extraction, shared };
  }
}

/** The files' bytes copied into one transferable buffer. */
function packFiles(
  files: readonly RepoFile[],
  skipped: readonly FileNote[] | undefined,
) {
  const contents = files.map(f =>
    typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content,
  );
  const total = contents.reduce((n, c) => n + c.length, 0);
  // Not from Node's shared pool: the whole ArrayBuffer is handed over.
  const all = Buffer.allocUnsafeSlow(total);
  let offset = 0;
  const placed = files.map((f, i) => {
    const start = offset;
    contents[i].copy(all, start);
    offset += contents[i].length;
    return { path: f.path, start, end: offset };
  });
  return {
    bytes: all.buffer as ArrayBuffer,
    source: { files: placed, ...(skipped?.length ? { skipped } : {}) },
  };
}

/** CPU microseconds of this thread so far. */
function threadCpuUs(): number {
  const { user, system } = process.threadCpuUsage();
  return user + system;
}

/** Parsed shared files, by URL and version, reused across repositories. */
const SHARED_DOCS_KEPT = 500;

/** The worker's side: answers `prepare`, `extract`, `drop`, `deflate` and `evaluate` messages. */
function runExtractionWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runExtractionWorker runs in a worker thread');
  const tools: Partial<ToolPatterns> | undefined = workerData?.tools;
  const waiting = new Map<
    number,
    { prepared: PreparedRepository; maxFileBytes: number }
  >();
  const sharedDocs = new Map<string, YamlDoc[]>();
  const dictionaries = new Map<string, Uint8Array>();
  const keptRelated = new KeptEntitiesReceiver();
  /** Of the current `prepare` job, the CPU its read took. */
  let readUs = 0;
  const evaluation: EvaluationOptions | undefined = workerData?.evaluation;
  // Built on the first evaluation; a config it cannot read stops
  // evaluations on workers, not the entities' evaluation.
  let setup: EvaluationSetup | Error | undefined;
  const evaluate = (m: Extract<ToWorker, { type: 'evaluate' }>): FromWorker => {
    if (m.dictionaryId && m.dictionary) {
      dictionaries.set(m.dictionaryId, m.dictionary);
    }
    if (!setup) {
      try {
        setup = evaluationSetup(
          new ConfigReader({ maturity: evaluation?.config ?? {} }),
          { addedChecks: checksRunElsewhere(evaluation?.addedChecks ?? []) },
        );
      } catch (e) {
        setup = e instanceof Error ? e : new Error(String(e));
      }
    }
    if (setup instanceof Error) {
      return { id: m.id, unavailable: setup.message };
    }
    if (m.job.rubricHash !== setup.rubricHash) {
      return { id: m.id, unavailable: 'another rubric' };
    }
    const job = { ...m.job, related: keptRelated.decode(m.related) };
    return {
      id: m.id,
      record: runEvaluationJob(setup, job, id => dictionaries.get(id)),
    };
  };
  const docsOf = (url: string, etag: string, text: string) => {
    const key = `${url}\n${etag}`;
    let docs = sharedDocs.get(key);
    if (!docs) {
      docs = parseYaml(text).docs;
      sharedDocs.set(key, docs);
      if (sharedDocs.size > SHARED_DOCS_KEPT) {
        sharedDocs.delete(sharedDocs.keys().next().value!);
      }
    }
    return docs;
  };
  const handle = (
    m: Exclude<ToWorker, { type: 'evaluate' }>,
  ): FromWorker | undefined => {
    if (m.type === 'deflate') {
      if (m.dictionaryId && m.dictionary) {
        dictionaries.set(m.dictionaryId, m.dictionary);
      }
      const dictionary = m.dictionaryId
        ? dictionaries.get(m.dictionaryId)
        : undefined;
      if (m.dictionaryId && !dictionary) {
        return { id: m.id, error: `no dictionary ${m.dictionaryId}` };
      }
      const deflated = deflateRawSync(m.json, dictionary ? { dictionary } : {});
      // Its own buffer, to be handed over rather than cloned with a pool.
      return { id: m.id, deflated: Uint8Array.from(deflated) };
    }
    if (m.type === 'drop') {
      waiting.delete(m.id);
      return undefined;
    }
    if (m.type === 'prepare') {
      const started = threadCpuUs();
      const all = Buffer.from(m.bytes);
      const { files, skipped } = filesOfSource(
        'files' in m.source
          ? {
              files: m.source.files.map(f => ({
                path: f.path,
                content: all.subarray(f.start, f.end),
              })),
              skipped: m.source.skipped,
            }
          : { archive: all, stripFirstDirectory: m.source.stripFirstDirectory },
        m.maxFileBytes,
      );
      // Inflated, walked and the files selected: what the floor measures.
      readUs = threadCpuUs() - started;
      const prepared = prepareRepository(files, m.maxFileBytes, skipped);
      const references = m.organizations
        ? sharedCiReferences(prepared, new Set(m.organizations))
        : [];
      if (references.length) {
        waiting.set(m.id, { prepared, maxFileBytes: m.maxFileBytes });
        return { id: m.id, references };
      }
      const extraction = extractPrepared(prepared, {
        maxFileBytes: m.maxFileBytes,
        tools,
      });
      return { id: m.id, extraction };
    }
    const job = waiting.get(m.id);
    waiting.delete(m.id);
    if (!job) return { id: m.id, error: 'the prepared repository is gone' };
    const files = new Map(
      m.files.map(([key, f]) => [
        key,
        f.status === 'read'
          ? {
              status: 'read' as const,
              label: f.label,
              url: f.url,
              docs: docsOf(f.url, f.etag, f.text),
            }
          : f,
      ]),
    );
    const extraction = extractPrepared(job.prepared, {
      maxFileBytes: job.maxFileBytes,
      tools,
      sharedCi: {
        lookup: { get: key => files.get(key) },
        organizations: new Set(m.organizations),
        maxDepth: m.maxDepth,
      },
    });
    return { id: m.id, extraction };
  };
  port.on('message', (m: ToWorker) => {
    let reply: FromWorker | undefined;
    const started = threadCpuUs();
    readUs = 0;
    try {
      reply = m.type === 'evaluate' ? evaluate(m) : handle(m);
      const spent = threadCpuUs() - started;
      if (reply) {
        reply.cpuUs =
          m.type === 'prepare'
            ? { read: readUs, parse: spent - readUs }
            : { [m.type === 'extract' ? 'parse' : m.type]: spent };
      }
    } catch (e) {
      // Extraction never throws on content; this is a bug, reported per job.
      reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
    }
    if (reply) {
      port.postMessage(
        reply,
        'deflated' in reply ? [reply.deflated.buffer as ArrayBuffer] : [],
      );
    }
  });
}
