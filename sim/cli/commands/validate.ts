import { loadScenarioFile } from '../../scenario/load.js';
import { ScenarioErrors } from '../../scenario/errors.js';
import { EXIT } from '../errors.js';
import { resolveScenario } from '../scenarios.js';

/** `faultline validate <files…>`: every error of every file, one located line each. */
export function validateCommand(files: string[], quiet: boolean): number {
  let exit: number = EXIT.ok;
  for (const arg of files) {
    const { path, shown } = resolveScenario(arg);
    try {
      const set = loadScenarioFile(path);
      if (!quiet) {
        const v = set.variants.length;
        const n = set.base.services.length;
        process.stdout.write(`${shown}: ok (${set.base.name}: ${n} service${n === 1 ? '' : 's'}, ${v} variant${v === 1 ? '' : 's'})\n`);
      }
    } catch (e) {
      if (!(e instanceof ScenarioErrors)) throw e;
      for (const err of e.errors) process.stderr.write(`${err.message.replace(path, shown)}\n`);
      exit = EXIT.badInput;
    }
  }
  return exit;
}
