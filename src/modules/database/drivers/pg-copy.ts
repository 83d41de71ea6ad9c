// PostgreSQL's COPY through pg-copy-streams, shaped as DBD::Pg's calls: COPY FROM STDIN takes
// the script's data as written (pg_putcopydata) and reports the server's verdict at the end
// (pg_putcopyend); COPY TO STDOUT hands out one row at a time (pg_getcopydata).
import type { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { CopyIn, CopyOut } from '../driver';

export async function startCopyIn(client: Client, sql: string, toError: (e: unknown) => Error): Promise<CopyIn> {
  const stream = client.query(copyFrom(sql));
  let failed: unknown = null;
  stream.on('error', (e) => { failed ??= e; });
  // the stream holds writes back until the server accepts the COPY: an empty write's callback
  // says it did; an error first says it did not (no such table, a syntax error, ...)
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.write(Buffer.alloc(0), () => { stream.off('error', reject); resolve(); });
  }).catch((e: unknown) => { throw toError(e); });
  return {
    // as DBD::Pg, bad data is the server's to judge: its error comes with the end
    write: (data) => new Promise((resolve) => { if (failed) resolve(); else stream.write(data, () => resolve()); }),
    end: () => new Promise<number>((resolve, reject) => {
      if (failed) { reject(toError(failed)); return; }
      stream.once('error', (e) => reject(toError(e)));
      stream.once('finish', () => resolve(stream.rowCount));
      stream.end();
    }),
  };
}

export async function startCopyOut(client: Client, sql: string, toError: (e: unknown) => Error): Promise<CopyOut> {
  const stream = client.query(copyTo(sql));
  let failed: unknown = null;
  let ended = false;
  let pending: Buffer = Buffer.alloc(0);
  const lines: Buffer[] = [];
  let wake: (() => void) | null = null;
  stream.on('data', (chunk: Buffer) => {
    // chunks are not rows: split after each newline (text and CSV rows end with one)
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (let nl = pending.indexOf(10); nl >= 0; nl = pending.indexOf(10)) {
      lines.push(pending.subarray(0, nl + 1));
      pending = pending.subarray(nl + 1);
    }
    if (lines.length > 1000) stream.pause(); // bounded: resumed as rows are taken
    wake?.();
  });
  stream.on('end', () => { ended = true; if (pending.length) lines.push(pending); wake?.(); });
  stream.on('error', (e) => { failed = e; ended = true; wake?.(); });
  return {
    async next() {
      for (;;) {
        const line = lines.shift();
        if (line) {
          if (lines.length < 100 && stream.isPaused()) stream.resume();
          return line;
        }
        if (failed) throw toError(failed);
        if (ended) return null;
        await new Promise<void>((r) => { wake = r; });
        wake = null;
      }
    },
    close() {
      stream.destroy();
    },
  };
}
