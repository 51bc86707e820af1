import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr, only on a terminal, and only once a run has lasted a second:
 * short runs stay quiet, and pipes and CI logs get no control characters.
 */
export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private readonly startedMs = Date.now();
  private readonly enabled: boolean;

  constructor(
    private readonly label: string,
    quiet: boolean,
  ) {
    this.enabled = !quiet && process.stderr.isTTY === true;
  }

  update(finished: number, total: number, fraction: number): void {
    if (!this.enabled) return;
    if (this.bar === null) {
      if (Date.now() - this.startedMs < 1000) return;
      this.bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: `${this.label} [{bar}] {percentage}% · {runs} runs · {eta_formatted} left`, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(1000, 0, { runs: `${finished}/${total}` });
    }
    this.bar.update(Math.round(fraction * 1000), { runs: `${finished}/${total}` });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
