// The files of one Log::Log4perl configuration (one `init`): the script's appenders name them by
// index. Events arrive in batches numbered by the script; a batch at or below the journaled number
// was written already (a resend after a crash) and is not written again.
import { LogFile, type FilePos, type FileSpec } from './file';

export interface WriterState {
  /** The last batch written and journaled. */
  seq: number;
  /** Per file: where it stood after that batch (null: not opened yet). */
  files: (FilePos | null)[];
  /** Per file: the name it was switched to (the File appender's file_switch), null: its own. */
  paths?: (string | null)[];
}

export class Writer {
  readonly files: LogFile[];
  seq = 0;
  private readonly paths: (string | null)[];

  constructor(specs: FileSpec[], paths: (string | null)[] = []) {
    this.files = specs.map((s, i) => new LogFile(paths[i] ? { ...s, path: paths[i]! } : s));
    this.paths = specs.map((_, i) => paths[i] ?? null);
  }

  /** The appenders' files that open when the appender is made (not create_at_logtime). */
  openAll(): void {
    for (const f of this.files) if (!f.spec.create_at_logtime) f.open(true);
  }

  static rehydrate(specs: FileSpec[], state: WriterState | null): Writer {
    const w = new Writer(specs, state?.paths ?? []);
    if (!state) return w;
    w.seq = state.seq;
    w.files.forEach((f, i) => f.reopen(state.files[i] ?? null));
    return w;
  }

  /**
   * Writes batch `seq` (chunks [file index, bytes] in the script's order), then switches the files
   * named in `switches` to their new names (opened as the appender's mode says); false when done before.
   */
  append(seq: number, chunks: [number, Buffer][], switches: [number, string][] = []): boolean {
    if (seq <= this.seq) return false;
    const per = new Map<number, Buffer[]>();
    for (const [i, b] of chunks) {
      let l = per.get(i);
      if (!l) per.set(i, (l = []));
      l.push(b);
    }
    for (const [i, msgs] of per) this.files[i]!.write(msgs);
    for (const [i, p] of switches) {
      const old = this.files[i]!;
      const f = new LogFile({ ...old.spec, path: p });
      f.open(true); // a name that cannot be opened leaves the old file in use
      old.close();
      this.files[i] = f;
      this.paths[i] = p;
    }
    this.seq = seq;
    return true;
  }

  state(): WriterState {
    return { seq: this.seq, files: this.files.map((f) => (f.opened ? f.pos() : null)), paths: this.paths };
  }

  close(): void {
    for (const f of this.files) f.close();
  }
}
