import { setTimeout as sleep, setImmediate as yieldToEventLoop } from "node:timers/promises";

/**
 * How long the loop lets events gather after waking from idle, so that a burst of small writes is read in one
 * turn. Measured with one writer doing 1,000 single-line writes/s: 20% of a core without, 10% with 25 ms; at
 * 10,000 lines/s over 4 files 30% -> 18% with 10 ms. Negligible next to the sinks' batching delay.
 */
const COALESCE_MS = 20;

/** What the loop does with each piece of work. */
export interface ReadLoopHandlers<F> {
  /** A path a watch event or rescan named: find out what it is now. */
  sync(path: string): Promise<void>;
  /** One read turn of a file with bytes to read. */
  turn(file: F): Promise<void>;
  onError(error: unknown, subject: string): void;
}

/**
 * The single loop that serves every file of a source, one step at a time: first the paths to sync, then one read
 * turn per ready file in round-robin order. It sleeps on a promise when there is nothing to do (no polling), and
 * awaiting a turn that awaits `emit` pauses everything, which is the backpressure.
 */
export class ReadLoop<F extends { path: string }> {
  private readonly dirtyPaths = new Set<string>();
  private readonly ready = new Set<F>();
  private wake: (() => void) | null = null;
  private stopping = false;
  private done: Promise<void> = Promise.resolve();
  /** The file whose turn is running, which nothing else may close. */
  current: F | null = null;

  constructor(private readonly handlers: ReadLoopHandlers<F>) {}

  start(): void {
    this.done = this.run();
  }

  /** Ends the loop after the step under way; resolves when it has ended. */
  stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    return this.done;
  }

  get stopped(): boolean {
    return this.stopping;
  }

  touch(path: string): void {
    this.dirtyPaths.add(path);
    this.wake?.();
  }

  markReady(file: F): void {
    this.ready.add(file);
    this.wake?.();
  }

  isReady(file: F): boolean {
    return this.ready.has(file);
  }

  forget(file: F): void {
    this.ready.delete(file);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const path = first(this.dirtyPaths);
      const file = path === undefined ? first(this.ready) : undefined;
      try {
        if (path !== undefined) {
          this.dirtyPaths.delete(path);
          await this.handlers.sync(path);
        } else if (file !== undefined) {
          this.ready.delete(file);
          this.current = file;
          await this.handlers.turn(file);
          // A turn's reads are synchronous and an emit into a queue with room settles in microtasks: without this,
          // catching up a large backlog would hold timers, the HTTP server and signals until it was done.
          await yieldToEventLoop();
        } else {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          this.wake = null;
          if (!this.stopping) await sleep(COALESCE_MS);
        }
      } catch (error) {
        this.handlers.onError(error, path ?? file?.path ?? "");
      } finally {
        this.current = null;
      }
    }
  }
}

function first<T>(set: Set<T>): T | undefined {
  for (const item of set) return item;
  return undefined;
}
