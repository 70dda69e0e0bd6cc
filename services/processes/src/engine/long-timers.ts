// The engine's timers (bpmn-elements' Timers interface) without Node's limit: a setTimeout of
// more than 2^31 - 1 ms (24.8 days) fires at once, so bpmn-elements' own timers never arm
// such a timer, and a meeting booked a month ahead would never be reminded. These wait in
// steps of at most a day and fire at the time asked for. One set per instance; stop() (the
// engine's) clears what is left.

const step = 86_400_000;

export interface TimerRef {
  readonly timerId: string;
  readonly owner: unknown;
  readonly callback: CallableFunction;
  readonly delay: number;
  readonly args: unknown[];
  readonly expireAt: Date;
  /** The Node timer of the current step. */
  timerRef: NodeJS.Timeout | undefined;
}

export class LongTimers {
  private count = 0;
  private readonly running = new Set<TimerRef>();

  get executing(): TimerRef[] {
    return [...this.running];
  }

  register(owner: unknown) {
    return {
      setTimeout: (callback: CallableFunction, delay: number, ...args: unknown[]) =>
        this.start(owner, callback, delay, args),
      clearTimeout: (ref: TimerRef | undefined) => this.clearTimeout(ref),
    };
  }

  setTimeout(callback: CallableFunction, delay: number, ...args: unknown[]): TimerRef {
    return this.start(undefined, callback, delay, args);
  }

  clearTimeout(ref: TimerRef | undefined): undefined {
    if (ref?.timerRef) clearTimeout(ref.timerRef);
    if (ref) this.running.delete(ref);
    return undefined;
  }

  private start(
    owner: unknown,
    callback: CallableFunction,
    delay: number,
    args: unknown[],
  ): TimerRef {
    const ref: TimerRef = {
      timerId: `timer_${this.count++}`,
      owner,
      callback,
      delay,
      args,
      expireAt: new Date(Date.now() + Math.max(0, delay)),
      timerRef: undefined,
    };
    this.running.add(ref);
    const arm = () => {
      const left = ref.expireAt.getTime() - Date.now();
      ref.timerRef = setTimeout(
        () => {
          if (!this.running.has(ref)) return;
          if (ref.expireAt.getTime() > Date.now()) return arm();
          this.running.delete(ref);
          callback(...args);
        },
        Math.max(0, Math.min(left, step)),
      );
    };
    arm();
    return ref;
  }
}
