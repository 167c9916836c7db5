/**
 * MpCmdRun.log is shared: every run (ours, the scheduled update task, another user's) appends a section framed by
 * "MpCmdRun: Command Line: …" and "MpCmdRun: End Time: …". Only the section whose command line holds our
 * arguments is ours.
 */
const HEADER = /^mpcmdrun: command line:\s*(.*)$/i;
const FOOTER = /^mpcmdrun: end time:/i;
const FRAMING = [/^-{20,}$/, /^start time:/i];

export class OwnLogSection {
  private inside = false;
  private readonly needles: string[];

  constructor(args: readonly string[]) {
    this.needles = args.map((a) => a.toLowerCase());
  }

  /** True for the lines of our section, framing lines excluded. */
  accept(line: string): boolean {
    const text = line.trim();
    const header = HEADER.exec(text);
    if (header) {
      const commandLine = (header[1] ?? '').toLowerCase();
      this.inside = this.needles.every((n) => commandLine.includes(n));
      return false;
    }
    if (FOOTER.test(text)) {
      this.inside = false;
      return false;
    }
    return this.inside && !FRAMING.some((p) => p.test(text));
  }
}
