/*
 * The physical floor of reading a repository: what any reader of an SCM's
 * tar.gz download has to do at the least, measured in the driver process
 * over the archives the backend downloaded. Inflate (zlib, synchronous, one
 * thread) and walk the tar: parse each header (name, size, type, checksum)
 * and step over the content, touching its bytes once (a copy into a scratch
 * buffer). Nothing is extracted, decoded or kept, so a real cycle's CPU per
 * repository read can be set against it.
 */
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';

const BLOCK = 512;

/** What walking one or more tar archives found. */
export interface TarWalk {
  /** Headers walked, of any type (regular files, directories, pax headers). */
  entries: number;
  /** Regular files among them. */
  files: number;
  /** Content bytes stepped over (the sizes in the headers). */
  contentBytes: number;
  /** Tar bytes up to the end-of-archive marker. */
  tarBytes: number;
}

/** One header the walk passed, for tests and diagnosis. */
export interface TarEntry {
  /** The path, ustar prefix joined. */
  path: string;
  /** The type flag: '0' a regular file, '5' a directory, 'x'/'g' pax. */
  type: string;
  size: number;
  /** The entry's content, a view into the archive (valid during the call only). */
  content: Buffer;
}

/** A NUL-terminated string field. */
function field(buf: Buffer, start: number, length: number): string {
  let end = start;
  const max = start + length;
  while (end < max && buf[end] !== 0) end++;
  return buf.toString('utf8', start, end);
}

/** A numeric field: octal digits, or base-256 when its high bit is set. */
function numeric(buf: Buffer, start: number, length: number): number {
  if (buf[start] & 0x80) {
    let value = buf[start] & 0x7f;
    for (let i = start + 1; i < start + length; i++) {
      value = value * 256 + buf[i];
    }
    return value;
  }
  let value = 0;
  let digits = false;
  for (let i = start; i < start + length; i++) {
    const c = buf[i];
    if (c === 0 || c === 0x20) {
      // Leading spaces or NULs are skipped; one after the digits ends them.
      if (digits) break;
      continue;
    }
    if (c < 0x30 || c > 0x37) {
      throw new Error(`Not an octal digit in a tar header at ${i}`);
    }
    value = value * 8 + (c - 0x30);
    digits = true;
  }
  return value;
}

/** Unsigned sum of the header with its checksum field read as spaces. */
function headerSum(buf: Buffer, start: number): number {
  let sum = 0;
  for (let i = start; i < start + BLOCK; i++) sum += buf[i];
  for (let i = start + 148; i < start + 156; i++) sum += 0x20 - buf[i];
  return sum;
}

/**
 * Walks a tar archive: parses each header (name, size, type, checksum) and
 * steps over its content, copying it once into `scratch` (grown as
 * needed). Stops at the end-of-archive marker (a zero block) or at the end
 * of the buffer. Throws on a header whose checksum does not match.
 */
export function walkTar(
  tar: Buffer,
  onEntry?: (entry: TarEntry) => void,
  scratch: { buffer: Buffer } = { buffer: Buffer.allocUnsafe(64 * 1024) },
): TarWalk {
  const walk: TarWalk = { entries: 0, files: 0, contentBytes: 0, tarBytes: 0 };
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    // A zero checksum field can only be the end-of-archive zero block.
    if (tar[offset] === 0 && tar[offset + 148] === 0) {
      offset += BLOCK;
      break;
    }
    const checksum = numeric(tar, offset + 148, 8);
    if (checksum !== headerSum(tar, offset)) {
      throw new Error(`Bad tar header checksum at ${offset}`);
    }
    const name = field(tar, offset, 100);
    const prefix =
      tar.toString('latin1', offset + 257, offset + 262) === 'ustar'
        ? field(tar, offset + 345, 155)
        : '';
    const type =
      tar[offset + 156] === 0 ? '0' : String.fromCharCode(tar[offset + 156]);
    const size = numeric(tar, offset + 124, 12);
    const start = offset + BLOCK;
    const end = start + size;
    if (end > tar.length) {
      throw new Error(`A tar entry of ${size} bytes runs past the archive`);
    }
    // Touch the content once.
    if (scratch.buffer.length < size) {
      scratch.buffer = Buffer.allocUnsafe(
        Math.max(size, scratch.buffer.length * 2),
      );
    }
    tar.copy(scratch.buffer, 0, start, end);
    walk.entries++;
    if (type === '0' || type === '7') walk.files++;
    walk.contentBytes += size;
    onEntry?.({
      path: prefix ? `${prefix}/${name}` : name,
      type,
      size,
      content: tar.subarray(start, end),
    });
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  walk.tarBytes = Math.min(offset, tar.length);
  return walk;
}

/** Inflates a tar.gz and walks it. */
export function inflateAndWalk(
  gz: Buffer,
  onEntry?: (entry: TarEntry) => void,
  scratch?: { buffer: Buffer },
): TarWalk {
  return walkTar(gunzipSync(gz), onEntry, scratch);
}

/** The floor over a set of archives. */
export interface InflateFloor {
  /** Archives the backend downloaded (the list given). */
  archives: number;
  /** Archives inflated and walked: all of them, or an even sample. */
  measured: number;
  /** Compressed bytes of those measured. */
  compressedBytes: number;
  /** What the walk found over those measured (one pass). */
  walk: TarWalk;
  /** Passes over them; the figures below are the fastest pass's. */
  passes: number;
  /**
   * CPU time inflating and walking them: the measuring thread's own
   * (`thread`, Linux schedstat) where available, else the driver
   * process's (`process`).
   */
  cpuMs: number;
  cpuOf: 'thread' | 'process';
  /**
   * The driver process's CPU time meanwhile (`process.cpuUsage()`, user +
   * system, all its threads): above the thread's when the driver's other
   * threads worked meanwhile, such as V8's helpers collecting the driver's
   * own heap.
   */
  processCpuMs: number;
  /** Wall time of the same. */
  wallMs: number;
  /** cpuMs / measured. */
  cpuMsPerArchive: number;
}

/** CPU nanoseconds of the calling thread so far (Linux), or undefined. */
function threadCpuNs(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/thread-self/schedstat', 'utf8');
    const ns = Number(stat.split(' ')[0]);
    return Number.isFinite(ns) ? ns : undefined;
  } catch {
    return undefined;
  }
}

/** Archives inflated and walked once, untimed, before the measure. */
const WARM_UP = 20;

/** One timed pass: inflate and walk, files read in batches outside the timing. */
function timedPass(
  chosen: readonly string[],
  batchBytes: number,
  scratch: { buffer: Buffer },
) {
  const walk: TarWalk = { entries: 0, files: 0, contentBytes: 0, tarBytes: 0 };
  let compressedBytes = 0;
  let processUs = 0;
  let threadNs: number | undefined = 0;
  let wallMs = 0;
  let next = 0;
  while (next < chosen.length) {
    const batch: Buffer[] = [];
    let bytes = 0;
    while (next < chosen.length && (batch.length === 0 || bytes < batchBytes)) {
      const gz = fs.readFileSync(chosen[next++]);
      batch.push(gz);
      bytes += gz.length;
    }
    compressedBytes += bytes;
    const thread = threadCpuNs();
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const gz of batch) {
      const w = inflateAndWalk(gz, undefined, scratch);
      walk.entries += w.entries;
      walk.files += w.files;
      walk.contentBytes += w.contentBytes;
      walk.tarBytes += w.tarBytes;
    }
    wallMs += performance.now() - started;
    const used = process.cpuUsage(cpu);
    const threadAfter = threadCpuNs();
    processUs += used.user + used.system;
    threadNs =
      threadNs !== undefined &&
      thread !== undefined &&
      threadAfter !== undefined
        ? threadNs + threadAfter - thread
        : undefined;
  }
  const processCpuMs = processUs / 1000;
  return {
    walk,
    compressedBytes,
    cpuMs: threadNs === undefined ? processCpuMs : threadNs / 1e6,
    cpuOf: threadNs === undefined ? ('process' as const) : ('thread' as const),
    processCpuMs,
    wallMs,
  };
}

/**
 * Inflates and walks `files` (tar.gz paths, one per archive the backend
 * downloaded; repeats count again) in this thread, timing only that:
 * files are read from disk in batches of about `batchBytes`, outside the
 * measure, after an untimed warm-up over the first few. Passes repeat,
 * up to `maxPasses`, while the passes so far took less than `minCpuMs`
 * together; the fastest counts (a floor: JIT, caches and a busy machine
 * only ever add). `maxArchives` measures an even sample instead of every
 * one.
 */
export function measureInflateFloor(
  files: readonly string[],
  options: {
    maxArchives?: number;
    batchBytes?: number;
    maxPasses?: number;
    minCpuMs?: number;
  } = {},
): InflateFloor {
  const {
    maxArchives = Infinity,
    batchBytes = 64 * 2 ** 20,
    maxPasses = 3,
    minCpuMs = 2000,
  } = options;
  const step = files.length > maxArchives ? files.length / maxArchives : 1;
  const chosen: string[] = [];
  for (
    let i = 0;
    Math.floor(i) < files.length && chosen.length < maxArchives;
    i += step
  ) {
    chosen.push(files[Math.floor(i)]);
  }
  const scratch = { buffer: Buffer.allocUnsafe(64 * 1024) };
  // Warm-up, untimed: the walk compiled and zlib loaded before the measure.
  for (const file of chosen.slice(0, WARM_UP)) {
    inflateAndWalk(fs.readFileSync(file), undefined, scratch);
  }
  let best = timedPass(chosen, batchBytes, scratch);
  let passes = 1;
  let spentMs = best.cpuMs;
  while (passes < maxPasses && spentMs < minCpuMs) {
    const pass = timedPass(chosen, batchBytes, scratch);
    passes++;
    spentMs += pass.cpuMs;
    if (pass.cpuMs < best.cpuMs) best = pass;
  }
  return {
    archives: files.length,
    measured: chosen.length,
    compressedBytes: best.compressedBytes,
    walk: best.walk,
    passes,
    cpuMs: best.cpuMs,
    cpuOf: best.cpuOf,
    processCpuMs: best.processCpuMs,
    wallMs: best.wallMs,
    cpuMsPerArchive: chosen.length ? best.cpuMs / chosen.length : NaN,
  };
}
