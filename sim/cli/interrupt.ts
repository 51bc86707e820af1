import { removeTempFiles } from './files.js';

/**
 * Ctrl-C during a run: the first SIGINT aborts the workers cleanly (the command then says how
 * far it got and writes nothing); a second one exits at once. Temp files are removed either way.
 */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      removeTempFiles();
      process.exit(130);
    }
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    },
  };
}
