/** The CLI's progress: on a terminal, one line redrawn in place; piped, a line per phase and every 25 %. */
import { isActivePhase, type UpdateSnapshot } from '../../shared/update';
import { t } from './text';

export interface ProgressOutput {
  out(text: string): void;
  isTty: boolean;
  columns(): number | null;
}

export class ProgressPrinter {
  private lastLine = '';
  private lastPhase = '';
  private lastQuarter = -1;
  constructor(private readonly output: ProgressOutput) {}

  show(s: UpdateSnapshot): void {
    if (!isActivePhase(s.phase)) return;
    const label = t(`phase.${s.phase}`);
    const count = s.total && s.current ? ` ${t('cli.progress.of', { current: s.current, total: s.total })}` : '';
    const stalled = s.stalled ? ` — ${t('cli.progress.stalled')}` : '';
    if (this.output.isTty) {
      const bar = s.percent === null ? '' : ` [${'#'.repeat(Math.round(s.percent / 5)).padEnd(20, '.')}] ${String(s.percent).padStart(3)}%`;
      const line = this.fit(`${label}${count}${bar}${stalled}`);
      if (line !== this.lastLine) this.output.out(`\r\x1b[2K${line}`);
      this.lastLine = line;
      return;
    }
    const quarter = s.percent === null ? -1 : Math.floor(s.percent / 25);
    if (s.phase !== this.lastPhase || (quarter > this.lastQuarter && quarter >= 0) || (s.stalled && !this.lastLine.includes('Ctrl+C'))) {
      const line = `${label}${count}${s.percent === null ? '' : ` ${s.percent}%`}${stalled}`;
      this.output.out(line + '\n');
      this.lastLine = line;
    }
    if (s.phase !== this.lastPhase) this.lastQuarter = quarter;
    else this.lastQuarter = Math.max(this.lastQuarter, quarter);
    this.lastPhase = s.phase;
  }

  end(): void {
    if (this.output.isTty && this.lastLine) this.output.out('\r\x1b[2K');
  }

  /**
   * A redrawn line must never wrap: `\r` only returns to the start of the last row, so a wrapped line would leave its
   * first row behind on every redraw. One column is kept free for terminals that wrap at the last column.
   */
  private fit(line: string): string {
    const columns = this.output.columns();
    if (!columns || line.length < columns) return line;
    return columns > 2 ? line.slice(0, columns - 2) + '…' : '';
  }
}
