/** A one-shot-per-wait wake-up: `waitFor` resolves on the next `fire()` or after `ms`, whichever comes first. */
export class WakeSignal {
  private waiters = new Set<() => void>();

  fire(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next `fire()`, or after `ms` milliseconds when given. */
  waitFor(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.add(wake);
      if (ms !== undefined) {
        timer = setTimeout(
          () => {
            this.waiters.delete(wake);
            resolve();
          },
          Math.max(0, ms),
        );
      }
    });
  }
}
