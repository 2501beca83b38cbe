import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { JsonSource } from '../diagnostics/json-source.js';
import type { Catalog } from '../model/contract.js';
import { NovaError } from '../util/errors.js';
import { CONFIG_FILE, findProjectRoot, readContractFiles } from './discover.js';
import { parseCatalog } from './parse.js';
import { validateCatalog } from './validate.js';

/** The project configuration (`nova-events.config.json`), all optional. */
export interface ProjectConfig {
  /** Folder of the contracts, relative to the project root. Default `contracts`. */
  readonly contracts: string;
  /** Folder of the generated code, relative to the project root. Default `generated`. */
  readonly generated: string;
  /** Module specifier the generated code imports the runtime from. Default `nova-events/runtime`. */
  readonly runtimeImport: string;
  /** Schema registry connection defaults (credentials are better set in the environment). */
  readonly registry?: {
    readonly url?: string;
    readonly username?: string;
    readonly password?: string;
    readonly token?: string;
    readonly caFile?: string;
    readonly timeoutMs?: number;
  };
}

/** A loaded project: its root, configuration, catalog and every validation finding. */
export interface LoadedProject {
  readonly root: string;
  readonly config: ProjectConfig;
  readonly catalog: Catalog;
  readonly diagnostics: Diagnostic[];
  readonly sources: ReadonlyMap<string, JsonSource>;
}

/** Reads the project configuration at `root`, with defaults. Throws a config NovaError when it is malformed. */
export function readConfig(root: string): ProjectConfig {
  const defaults: ProjectConfig = { contracts: 'contracts', generated: 'generated', runtimeImport: 'nova-events/runtime' };
  const path = join(root, CONFIG_FILE);
  if (!existsSync(path)) return defaults;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new NovaError('CONFIG_INVALID', `${CONFIG_FILE} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { file: CONFIG_FILE });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new NovaError('CONFIG_INVALID', `${CONFIG_FILE} must hold a JSON object`, { file: CONFIG_FILE });
  }
  return { ...defaults, ...(json as Partial<ProjectConfig>) };
}

/**
 * Finds the project from `from` (or uses `projectDir`), reads its contracts, parses and
 * validates them. Throws a config NovaError when there is no project.
 */
export function loadProject(from: string, projectDir?: string): LoadedProject {
  const root = projectDir ? resolve(from, projectDir) : findProjectRoot(from);
  if (!root) {
    throw new NovaError('PROJECT_NOT_FOUND', `no nova-events project at or above ${from}`, {
      hint: `run it inside a repository with contracts/topics.json or ${CONFIG_FILE}, or pass --project <dir>`,
    });
  }
  const config = readConfig(root);
  if (!existsSync(resolve(root, config.contracts))) {
    throw new NovaError('PROJECT_NOT_FOUND', `contracts folder "${config.contracts}" does not exist in ${root}`, {
      hint: 'create it, or set "contracts" in ' + CONFIG_FILE,
    });
  }
  const files = readContractFiles(root, config.contracts);
  const parsed = parseCatalog(files, config.contracts);
  const diagnostics = [...parsed.diagnostics, ...validateCatalog(parsed.catalog, parsed.sources)];
  return { root, config, catalog: parsed.catalog, diagnostics, sources: parsed.sources };
}
