// Temporary files of renders in progress, listed in the state directory before they are created.
// A daemon killed mid-render leaves its temporary file beside the target; normally the resent
// close discards it, but when no resend ever comes (the job was refused: a lost journal, a dead
// client) nobody would. The list lives outside the journal (a damaged journal must not lose it)
// and is swept when a daemon or a process-mode call starts, before anything renders.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Only our own temporary names are ever removed (see OutputFile). */
const OURS = /^\.cb\d+(?:\.d)?\.tmp$/;

export function pendingOutputsFile(home: string): string {
  return path.join(home, 'outputs.pending');
}

let inProgress = 0;

/** Records temporary files about to be created (durably, before they exist). */
export function notePending(file: string, tmps: string[]): void {
  inProgress++;
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND | fs.constants.O_NOFOLLOW, 0o600);
  try {
    fs.writeSync(fd, tmps.map((t) => `${t}\n`).join(''));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A render ended (its file renamed into place, or discarded): with none left, the list goes. */
export function donePending(file: string): void {
  inProgress = Math.max(0, inProgress - 1);
  if (inProgress === 0) fs.rmSync(file, { force: true });
}

/** Removes what renders cut short left behind, then forgets the list. Returns the files removed. */
export function sweepPending(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const t of new Set(text.split('\n').filter(Boolean))) {
    if (!path.isAbsolute(t) || !OURS.test(path.basename(t))) continue;
    try {
      fs.unlinkSync(t);
      removed.push(t);
    } catch { /* already gone: the render finished or its close discarded it */ }
  }
  fs.rmSync(file, { force: true });
  return removed;
}
