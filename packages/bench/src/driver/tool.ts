import { GeneratedOrganisation } from '../generator/generate';
import { CompiledBackend } from './compileBackend';
import { BenchDatabase } from './database';
import { BenchOptions } from './options';

/** What a tool gets for one run. */
export interface RunContext {
  options: BenchOptions;
  organisation: GeneratedOrganisation;
  examplesDir: string;
  reposDir: string;
  workDir: string;
  /** The backend, compiled once per bench run. */
  compiled: CompiledBackend;
  database: BenchDatabase;
  run: number;
  log: (message: string) => void;
}

/** A tool under benchmark; each returns its own measurements. */
export interface BenchTool<T> {
  name: string;
  run(context: RunContext): Promise<T>;
}
