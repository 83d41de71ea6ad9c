// The files of one Log::Log4perl configuration (one `init`): the script's appenders name them by
// index. Events arrive in batches numbered by the script; a batch at or below the journaled number
// was written already (a resend after a crash) and is not written again.
import { LogFile, type FilePos, type FileSpec } from './file';

export interface WriterState {
  /** The last batch written and journaled. */
  seq: number;
  /** Per file: where it stood after that batch (null: not opened yet). */
  files: (FilePos | null)[];
}

export class Writer {
  readonly files: LogFile[];
  seq = 0;

  constructor(specs: FileSpec[]) {
    this.files = specs.map((s) => new LogFile(s));
  }

  /** The appenders' files that open when the appender is made (not create_at_logtime). */
  openAll(): void {
    for (const f of this.files) if (!f.spec.create_at_logtime) f.open(true);
  }

  static rehydrate(specs: FileSpec[], state: WriterState | null): Writer {
    const w = new Writer(specs);
    if (!state) return w;
    w.seq = state.seq;
    w.files.forEach((f, i) => f.reopen(state.files[i] ?? null));
    return w;
  }

  /** Writes batch `seq` (chunks [file index, bytes] in the script's order); false when done before. */
  append(seq: number, chunks: [number, Buffer][]): boolean {
    if (seq <= this.seq) return false;
    const per = new Map<number, Buffer[]>();
    for (const [i, b] of chunks) {
      let l = per.get(i);
      if (!l) per.set(i, (l = []));
      l.push(b);
    }
    for (const [i, msgs] of per) this.files[i]!.write(msgs);
    this.seq = seq;
    return true;
  }

  state(): WriterState {
    return { seq: this.seq, files: this.files.map((f) => (f.opened ? f.pos() : null)) };
  }

  close(): void {
    for (const f of this.files) f.close();
  }
}
