import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { packageRoot } from '../../version.js';
import { EXIT, InputError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { starterScenario } from '../starter.js';

/** `faultline init [file]`: writes the commented starter scenario (never over a file, unless --force). */
export const DEFAULT_STARTER_FILE = 'scenario.yaml';

export function initCommand(file: string | undefined, o: { force?: boolean; quiet?: boolean }): number {
  const target = file ?? DEFAULT_STARTER_FILE;
  if (target.trim() === '') throw new InputError('init: the file name is empty (expected e.g. scenario.yaml)');
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new InputError(`${target}: is a directory (expected a file name, e.g. ${join(target, DEFAULT_STARTER_FILE)})`);
    if (!o.force) throw new InputError(`${target}: already exists (use --force to overwrite it)`);
  }
  const shown = /[\s'"$`\\]/.test(target) ? JSON.stringify(target) : target;
  const ref = schemaRef(resolve(target), packageRoot());
  writeFileAtomic(target, starterScenario({ name: nameFor(target), schemaRef: ref.ref, schemaNote: ref.note, file: shown }));
  if (!o.quiet) {
    process.stdout.write(
      [
        `Wrote ${target}: a starter scenario (a checkout, a payment provider with an outage, an e-mail queue, 2 variants).`,
        '',
        'Next:',
        `  npx faultline explain ${shown}    what theory predicts, before running`,
        `  npx faultline run ${shown}        run it: the table here, the report in faultline-out/`,
        `  npx faultline validate ${shown}   check it after you edit it`,
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}

/**
 * The `$schema=` path for a scenario written at `file`: relative where it stays valid — the
 * file is inside the faultline package (a checkout), or faultline is installed in a
 * node_modules folder of the file's project — and otherwise the absolute path of this
 * installation (a global install or the npx cache), with a comment saying how to change it.
 */
export function schemaRef(file: string, root: string): { ref: string; note: string[] } {
  const schema = join(root, 'schema', 'scenario.schema.json');
  const rel = relative(dirname(file), schema).split(sep).join('/');
  const insidePackage = !relative(root, file).startsWith('..');
  const inProjectModules = /^(\.\.\/)*node_modules\//.test(rel);
  if (insidePackage || inProjectModules) {
    return { ref: rel, note: ["The path, relative to this file, is faultline's schema/scenario.schema.json."] };
  }
  return {
    ref: schema.split(sep).join('/'),
    note: [
      'The path is where faultline is installed on this machine. With faultline in the project\'s',
      'devDependencies (npm i -D faultline), use node_modules/faultline/schema/scenario.schema.json.',
    ],
  };
}

/** The scenario name from the file name (`checkout.yaml` → checkout), if it is a valid name. */
export function nameFor(file: string): string {
  const stem = basename(file, extname(file));
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(stem) && stem !== 'scenario' ? stem : 'my-scenario';
}
