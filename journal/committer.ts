// Group commit: the writes of all requests that finish in the same turn of the event loop are
// committed in one SQLite transaction, in arrival order. Pipelined requests (a script writing
// cells) then cost one commit per batch, not one per request, and no reply runs ahead of its record.
import type { Journal, Write } from './journal';

interface Pending {
  writes: Write[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;
  private failure: unknown = null;
  commits = 0;

  constructor(private readonly journal: Journal, private readonly onFailure: (e: unknown) => void) {}

  commit(writes: Write[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ writes, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      this.journal.commit(batch.length === 1 ? batch[0].writes : batch.flatMap((p) => p.writes));
      this.commits++;
    } catch (e) {
      this.failure = e;
      for (const p of batch) p.reject(e);
      this.onFailure(e);
      return;
    }
    for (const p of batch) p.resolve();
  }
}
