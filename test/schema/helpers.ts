import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCENARIO_SCHEMA_FILE = join(REPO, 'schema', 'scenario.schema.json');
export const RESULTS_SCHEMA_FILE = join(REPO, 'schema', 'results.schema.json');
export const FIXTURES = join(REPO, 'test', 'schema', 'fixtures');

export function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Ajv in strict mode, knowing the editor-only keywords the scenario schema carries for the
 * VS Code YAML extension (markdownDescription, patternErrorMessage, errorMessage, defaultSnippets).
 * strictRequired and strictTypes are style rules that conditional subschemas (if/then) trip on.
 */
export function makeAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  for (const keyword of ['markdownDescription', 'patternErrorMessage', 'errorMessage', 'defaultSnippets']) ajv.addKeyword(keyword);
  return ajv;
}

let scenarioValidator: ValidateFunction | null = null;
let resultsValidator: ValidateFunction | null = null;

export function validateScenario(data: unknown): { ok: boolean; errors: string } {
  const validate = (scenarioValidator ??= makeAjv().compile(readJson(SCENARIO_SCHEMA_FILE)));
  const ok = validate(data) as boolean;
  return { ok, errors: ok ? '' : describeErrors(validate.errors) };
}

export function validateResults(data: unknown): { ok: boolean; errors: string } {
  const validate = (resultsValidator ??= makeAjv().compile(readJson(RESULTS_SCHEMA_FILE)));
  const ok = validate(data) as boolean;
  return { ok, errors: ok ? '' : describeErrors(validate.errors) };
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 8)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${e.params ? JSON.stringify(e.params) : ''}`)
    .join('\n');
}

/** Every property name declared anywhere in a schema (for the documentation checks). */
export function propertyNames(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const s of schema) propertyNames(s, out);
  } else if (schema !== null && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      if (k === 'properties' && v !== null && typeof v === 'object') {
        for (const name of Object.keys(v)) out.add(name);
      }
      if (k !== 'defaultSnippets' && k !== 'examples' && k !== 'default') propertyNames(v, out);
    }
  }
  return out;
}
