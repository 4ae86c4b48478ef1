// Work that waits its turn: at most `capacity` holders at once, the others in a line in
// arrival order; a waiter whose signal aborts (its client left) leaves the line. The
// embedded database's one session, the upload parsers and each class of heavy work share
// this; what to do when the line is too long is each caller's own decision.
import { QueryCancelledError, throwIfCancelled } from '../db/adapter.ts';

export class Turns {
  private holders = 0;
  private readonly line = new Set<() => void>(); // insertion order = arrival order

  constructor(private readonly capacity: number) {}

  /** Turns being held now. */
  get running(): number {
    return this.holders;
  }

  /** Callers waiting in line now. */
  get waiting(): number {
    return this.line.size;
  }

  /** Whether a new caller would have to wait. */
  get full(): boolean {
    return this.holders >= this.capacity;
  }

  /** Resolves at this caller's turn; rejects with QueryCancelledError if the signal aborts first. */
  async take(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal);
    if (!this.full) {
      this.holders++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      const leave = () => {
        this.line.delete(go);
        reject(new QueryCancelledError());
      };
      this.line.add(go);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }

  /** Ends a turn: it passes straight to the oldest in line. */
  release(): void {
    const [next] = this.line;
    if (next) {
      this.line.delete(next);
      next();
    } else this.holders--;
  }
}
