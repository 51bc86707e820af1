import { Command, CommanderError, Option } from 'commander';
import { ScenarioErrors } from '../scenario/errors.js';
import { toolVersion } from '../version.js';
import { EXIT, InputError, RunFailed, UsageError } from './errors.js';
import { removeTempFiles } from './files.js';

/**
 * The command line (commander). Each command is a thin action over sim/; every failure ends
 * here as one line on stderr and an exit code — never a stack trace. A command's module is
 * imported when the command runs, so `--help`, `--version` and `validate` do not load the
 * simulator, the metrics and the report (a third of a second on the project's machine).
 */
/** SLO gates, on the results of run, sweep (at every point) and merge. */
const failUnderOption = (): Option =>
  new Option('--fail-under <metric=value...>', 'SLO gates: exit 3 when one is missed (availability=99.9% p99=300ms doubleProcessing=0; a sweep at every point)');

/** The options of the commands that run scenarios (run, sweep). */
function addResultOptions(cmd: Command): Command {
  return cmd
    .option('--seed <n>', 'override the scenario seed')
    .option('--duration <d>', 'override the simulated duration (e.g. 5m)')
    .option('--replications <n>', 'override the number of replications')
    .option('--variant <a,b>', 'run only these variants (the baseline always runs)')
    .option('--jobs <n>', 'worker threads (default: the number of cores)')
    .option('--shard <k/n>', 'run the k-th of n slices of the runs and write a partial result (see merge)')
    .option('--json [file]', 'write the JSON results (no file: to stdout)')
    .option('--report <file>', 'write the HTML report here (default: <out>/<name>.html)')
    .option('--no-report', 'do not write the HTML report')
    .option('--out <dir>', 'folder for reports and JSON', 'faultline-out')
    .option('--open', 'open the report in a browser')
    .option('--quiet', 'print nothing but errors')
    .addOption(failUnderOption())
    .option('--max-events <n>', 'the event budget of one run');
}

function program(): Command {
  const p = new Command('faultline')
    .description('Simulate how a distributed system fails before you build it.')
    .version(toolVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => {} });

  addResultOptions(
    p
      .command('run')
      .description('run scenarios and their variants; print the comparison table, write the report (no argument: the bundled default)')
      .argument('[scenario...]', 'scenario files or bundled scenario names'),
  ).action(async (scenarios: string[], opts) => {
    const { runCommand } = await import('./commands/run.js');
    process.exitCode = await runCommand(scenarios, opts);
  });

  addResultOptions(
    p
      .command('sweep')
      .description('run a scenario and its variants across values of one parameter; curves of availability, p99, double-processing and amplification')
      .argument('<scenario>', 'a scenario file or bundled scenario name')
      .option('--param <path=values>', 'the parameter and its values: a list (a,b,c) or a range from..to')
      .option('--steps <n>', 'values in a from..to range (default 5)')
      .option('--hysteresis', 'ramp a traffic rate up through the values and back down, in one run, to expose metastable states'),
  ).action(async (scenario: string, opts) => {
    const { sweepCommand } = await import('./commands/sweep.js');
    process.exitCode = await sweepCommand(scenario, opts);
  });

  p.command('merge')
    .description('merge the partial results of run/sweep --shard k/n into the results a single machine gives')
    .argument('<partial.json...>', 'every shard of one job')
    .option('-o, --output <results.json>', 'the merged results (required)')
    .option('--report <file>', 'also write the HTML report')
    .option('--quiet', 'print nothing but errors')
    .addOption(failUnderOption())
    .action(async (files: string[], opts) => {
      const { mergeCommand } = await import('./commands/merge.js');
      process.exitCode = mergeCommand(files, opts);
    });

  p.command('validate')
    .description('check scenario files; print every error with its file:line:col')
    .argument('<scenario...>', 'scenario files or bundled scenario names')
    .option('--quiet', 'print nothing but errors')
    .action(async (files: string[], opts) => {
      const { validateCommand } = await import('./commands/validate.js');
      process.exitCode = validateCommand(files, opts.quiet === true);
    });

  p.command('list')
    .description('list the bundled scenarios: name, title and one line each')
    .option('--json', 'print the list as JSON')
    .action(async (opts) => {
      const { listCommand } = await import('./commands/list.js');
      process.exitCode = listCommand(opts);
    });

  p.command('explain')
    .description('explain a scenario for "predict, then run": its lesson, topology and analytic predictions')
    .argument('<scenario>', 'a scenario file or bundled scenario name')
    .option('--variant <a,b>', 'predict only these variants (the baseline always)')
    .option('--answers', "also show the lesson's takeaway (reveal it after the run)")
    .option('--no-predictions', 'leave out the predictions (let people guess first)')
    .action(async (scenario: string, opts) => {
      const { explainCommand } = await import('./commands/explain.js');
      process.exitCode = explainCommand(scenario, opts);
    });

  p.command('init')
    .description('write a commented starter scenario')
    .argument('[file]', 'the file to write', 'scenario.yaml')
    .option('--force', 'overwrite the file if it exists')
    .option('--quiet', 'print nothing but errors')
    .action(async (file: string, opts) => {
      const { initCommand } = await import('./commands/init.js');
      process.exitCode = initCommand(file, opts);
    });

  p.command('report')
    .description('write the HTML report from saved JSON results')
    .argument('<results.json>', 'results written by faultline run --json (or merge)')
    .option('-o, --output <file>', 'the report file (default: beside the results, .html)')
    .option('--open', 'open the report in a browser')
    .option('--quiet', 'print nothing but errors')
    .action(async (file: string, opts) => {
      const { reportCommand } = await import('./commands/report.js');
      process.exitCode = reportCommand(file, opts);
    });

  for (const cmd of p.commands) {
    cmd.exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => {} });
  }
  return p;
}

function usageOf(p: Command, argv: string[]): string {
  const name = argv.find((a) => p.commands.some((c) => c.name() === a));
  const cmd = name ? p.commands.find((c) => c.name() === name)! : p;
  return `Usage: faultline ${cmd === p ? '' : `${cmd.name()} `}${cmd.usage()}`;
}

export async function main(argv: string[]): Promise<number> {
  const p = program();
  try {
    await p.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      // commander puts its suggestion ("Did you mean run?") on a line of its own: keep one line.
      const msg = e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
      process.stderr.write(`faultline: ${msg}\n${usageOf(p, argv)}\n`);
      return EXIT.badInput;
    }
    if (e instanceof ScenarioErrors) {
      for (const err of e.errors) process.stderr.write(`${err.message}\n`);
      return EXIT.badInput;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`faultline: ${e.message}\n${e.usage ?? usageOf(p, argv)}\n`);
      return EXIT.badInput;
    }
    if (e instanceof InputError) {
      process.stderr.write(`faultline: ${e.message}\n`);
      return EXIT.badInput;
    }
    if (e instanceof RunFailed) {
      process.stderr.write(`faultline: ${e.message}\n`);
      return EXIT.runFailed;
    }
    // A broken invariant: still one line, with a way to report it.
    process.stderr.write(`faultline: internal error: ${(e as Error).message} (please report it with the scenario file; FAULTLINE_DEBUG=1 shows the stack)\n`);
    if (process.env.FAULTLINE_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return EXIT.runFailed;
  } finally {
    removeTempFiles();
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
