import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LIMITS } from '../../sim/scenario/limits.js';
import { loadScenarioText } from '../../sim/scenario/load.js';
import { propertyNames, readJson, REPO, RESULTS_SCHEMA_FILE, SCENARIO_SCHEMA_FILE, validateScenario } from './helpers.js';

const scenariosDoc = readFileSync(join(REPO, 'docs', 'scenarios.md'), 'utf8');
const resultsDoc = readFileSync(join(REPO, 'docs', 'results.md'), 'utf8');

/** The words that appear inside code (inline spans and fenced blocks) of a Markdown text. */
function codeWords(markdown: string): Set<string> {
  const words = new Set<string>();
  const code = [...markdown.matchAll(/```[\s\S]*?```|`[^`\n]+`/g)].map((m) => m[0]);
  for (const c of code) for (const w of c.match(/[\w$]+/g) ?? []) words.add(w);
  return words;
}

function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const MIN = () => ({
  name: 'doc',
  duration: '1m',
  traffic: { t: { target: 'a.e', rate: '1/s' } },
  services: { a: { endpoints: { e: {} } } } as Record<string, any>,
});

/** Places a documentation fragment where it belongs in a minimal scenario; null if it fits nowhere. */
function embed(fragment: any): any[] {
  const schema = readJson(SCENARIO_SCHEMA_FILE);
  const d = schema.definitions;
  const keys = (o: any) => Object.keys(o ?? {});
  const within = (o: any, props: object) => keys(o).every((k) => k in props);
  const candidates: any[] = [];
  if (Array.isArray(fragment)) {
    const s = MIN();
    s.services.a.endpoints.e = { steps: fragment };
    candidates.push(s);
  } else if (fragment && typeof fragment === 'object') {
    if (within(fragment, schema.properties)) candidates.push({ ...MIN(), ...fragment });
    if (within(fragment, d.endpoint.properties)) {
      const s = MIN();
      s.services.a.endpoints.e = fragment;
      candidates.push(s);
    }
    if (within(fragment, d.callStep.properties)) {
      const s = MIN();
      s.services.a.endpoints.e = { steps: [{ call: 'a.e', ...fragment }] };
      candidates.push(s);
    }
    const [only] = keys(fragment);
    if (keys(fragment).length === 1 && within(fragment[only], d.endpoint.properties)) {
      const s = MIN();
      s.services.a.endpoints = fragment;
      candidates.push(s);
    }
  }
  return candidates;
}

describe('docs/scenarios.md', () => {
  it('mentions every field of the scenario schema', () => {
    const words = codeWords(scenariosDoc);
    const missing = [...propertyNames(readJson(SCENARIO_SCHEMA_FILE))].filter((p) => !words.has(p));
    expect(missing).toEqual([]);
  });

  it('lists every limit of sim/scenario/limits.ts with its value', () => {
    for (const [key, value] of Object.entries(LIMITS)) {
      const row = scenariosDoc.split('\n').find((l) => l.startsWith(`| \`${key}\``));
      expect(row, key).toBeDefined();
      const shown = key === 'maxDurationMs' ? '7 days' : key === 'maxAnyDurationMs' ? '365 days' : String(value);
      expect(row, key).toContain(shown);
    }
  });

  const blocks = yamlBlocks(scenariosDoc);
  it('has YAML examples', () => expect(blocks.length).toBeGreaterThan(5));

  it.each(blocks.map((b, i) => [i + 1, b]))('YAML example %i is valid', (_i, block) => {
    const data = parse(block as string);
    if (data === null) return; // a comment only (the editor line)
    if (data.name !== undefined && data.services !== undefined) {
      expect(() => loadScenarioText(block as string, 'docs/scenarios.md')).not.toThrow();
      expect(validateScenario(data).errors).toBe('');
      return;
    }
    const candidates = embed(data);
    expect(candidates.length, `example fits nowhere:\n${block}`).toBeGreaterThan(0);
    const results = candidates.map((c) => validateScenario(c));
    expect(results.some((r) => r.ok), results.map((r) => r.errors).join('\n---\n')).toBe(true);
  });
});

describe('docs/results.md', () => {
  it('mentions every field of the results schema', () => {
    const words = codeWords(resultsDoc);
    const missing = [...propertyNames(readJson(RESULTS_SCHEMA_FILE))].filter((p) => !words.has(p));
    expect(missing).toEqual([]);
  });

  it('has an example that is valid JSON', () => {
    const m = /```json\n([\s\S]*?)```/.exec(resultsDoc);
    expect(m).not.toBeNull();
    expect(() => JSON.parse(m![1])).not.toThrow();
  });
});
