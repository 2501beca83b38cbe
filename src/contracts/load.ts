import { lstatSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { JsonSource } from '../diagnostics/json-source.js';
import type { Catalog } from '../model/contract.js';
import { joinPointer } from '../diagnostics/json-pointer.js';
import { NovaError } from '../util/errors.js';
import { CONFIG_FILE, findProjectRoot, readContractFiles } from './discover.js';
import { parseCatalog, type ParseOptions } from './parse.js';
import { validateCatalog, type ValidateOptions } from './validate.js';
import type { RuleId } from '../diagnostics/rules.js';

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

/** Rule (exit 2): nova-events.config.json cannot be read, is not JSON, not an object, or has a setting of the wrong type. */
export const CONFIG_INVALID = 'CONFIG_INVALID' satisfies RuleId;
/** Rule (exit 2): no project where the command looked, or its contracts folder does not exist. */
export const PROJECT_NOT_FOUND = 'PROJECT_NOT_FOUND' satisfies RuleId;

/** The largest configuration file read (1 MiB). */
const MAX_CONFIG_BYTES = 1024 * 1024;

const PATH_SETTINGS = ['contracts', 'generated', 'runtimeImport'] as const;
const REGISTRY_STRINGS = ['url', 'username', 'password', 'token', 'caFile'] as const;

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function configError(pointer: string, message: string, hint: string): NovaError {
  return new NovaError(CONFIG_INVALID, message, { file: CONFIG_FILE, pointer, hint });
}

/**
 * Checks the settings' types (unknown keys are left alone). Values of the registry settings are
 * never quoted: they may be credentials.
 */
function checkConfig(json: Record<string, unknown>): void {
  for (const key of PATH_SETTINGS) {
    const value = json[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      const shown = typeof value === 'string' ? 'an empty string' : `${jsonKind(value)} (${JSON.stringify(value)})`;
      throw configError(joinPointer('', key), `"${key}" in ${CONFIG_FILE} must be a non-empty string, not ${shown}`, `write it as a string, e.g. "${key}": "${key === 'runtimeImport' ? 'nova-events/runtime' : key}"`);
    }
  }
  const registry = json['registry'];
  if (registry === undefined) return;
  if (registry === null || typeof registry !== 'object' || Array.isArray(registry)) {
    throw configError('/registry', `"registry" in ${CONFIG_FILE} must be an object, not ${jsonKind(registry)}`, 'e.g. "registry": { "url": "http://127.0.0.1:18081/apis/ccompat/v7" }');
  }
  const settings = registry as Record<string, unknown>;
  for (const key of REGISTRY_STRINGS) {
    if (settings[key] !== undefined && typeof settings[key] !== 'string') {
      throw configError(joinPointer('/registry', key), `"registry.${key}" in ${CONFIG_FILE} must be a string, not ${jsonKind(settings[key])}`, 'write it as a string (credentials are better set in the environment)');
    }
  }
  const timeout = settings['timeoutMs'];
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0)) {
    throw configError('/registry/timeoutMs', `"registry.timeoutMs" in ${CONFIG_FILE} must be a positive number of milliseconds, not ${jsonKind(timeout)}`, 'e.g. "timeoutMs": 10000');
  }
}

/** Reads the project configuration at `root`, with defaults. Throws a CONFIG_INVALID NovaError (exit 2) naming the file and the setting when it is unreadable or malformed. */
export function readConfig(root: string): ProjectConfig {
  const defaults: ProjectConfig = { contracts: 'contracts', generated: 'generated', runtimeImport: 'nova-events/runtime' };
  const path = join(root, CONFIG_FILE);
  let text: string;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw configError('', `${CONFIG_FILE} is not a regular file`, 'make it a JSON file, or remove it');
    if (stats.size > MAX_CONFIG_BYTES) throw configError('', `${CONFIG_FILE} has ${stats.size} bytes, more than the ${MAX_CONFIG_BYTES} a configuration may have`, 'it holds a few settings: check that it is the right file');
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof NovaError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !isLink(path)) return defaults;
    const reason = code === 'ELOOP' ? 'is a symbolic link loop' : code === 'ENOENT' ? 'is a dangling symbolic link' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read: permission denied' : `cannot be read: ${code ?? String(e)}`;
    throw configError('', `${CONFIG_FILE} ${reason}`, 'fix its permissions or the link, or remove it');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw configError('', `${CONFIG_FILE} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, 'fix the JSON syntax');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw configError('', `${CONFIG_FILE} must hold a JSON object, not ${jsonKind(json)}`, 'e.g. { "contracts": "contracts", "generated": "generated" }');
  }
  checkConfig(json as Record<string, unknown>);
  return { ...defaults, ...(json as Partial<ProjectConfig>) };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Whether nothing at all (not even a dangling link) is at `path`. */
function isAbsent(path: string): boolean {
  try {
    lstatSync(path);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Finds the project from `from` (or uses `projectDir`), reads its contracts, parses (with
 * `options`) and validates them. Throws a config NovaError when there is no project.
 */
export function loadProject(from: string, projectDir?: string, options: ParseOptions & ValidateOptions = {}): LoadedProject {
  const root = projectDir ? resolve(from, projectDir) : findProjectRoot(from);
  if (!root) {
    throw new NovaError(PROJECT_NOT_FOUND, `no nova-events project at or above ${from}`, {
      hint: `run it inside a repository with contracts/topics.json or ${CONFIG_FILE}, or pass --project <dir>`,
    });
  }
  if (projectDir) {
    let folder = false;
    try {
      folder = statSync(root).isDirectory();
    } catch {
      // reported below
    }
    if (!folder) {
      throw new NovaError(PROJECT_NOT_FOUND, `the project folder "${projectDir}" ${isAbsent(root) ? 'does not exist' : 'is not a readable folder'} (${root})`, {
        hint: '--project names the folder holding contracts/ (or nova-events.config.json)',
      });
    }
  }
  const config = readConfig(root);
  if (isAbsent(resolve(root, config.contracts))) {
    throw new NovaError(PROJECT_NOT_FOUND, `contracts folder "${config.contracts}" does not exist in ${root}`, {
      file: config.contracts,
      hint: 'create it, or set "contracts" in ' + CONFIG_FILE,
    });
  }
  const read = readContractFiles(root, config.contracts);
  const parsed = parseCatalog(read.files, config.contracts, options);
  const diagnostics = [...read.diagnostics, ...parsed.diagnostics, ...validateCatalog(parsed.catalog, parsed.sources, options)];
  return { root, config, catalog: parsed.catalog, diagnostics, sources: parsed.sources };
}
