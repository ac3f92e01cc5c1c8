/**
 * Ends a preview whose program cannot finish, within a bounded time, instead of waiting forever:
 *
 * - an unhandled rejection or uncaught exception (an `apply` or `.then` callback that throws) fails the
 *   run at once, as Pulumi's Node.js language host does — a registration waiting on the failed value would
 *   otherwise never complete;
 * - a program whose main promise is still pending when nothing is left to run (an awaited promise that
 *   never settles) fails when the event loop empties, instead of exiting 0 with no report;
 * - a program that keeps the process busy (a timer, a socket) without registering resources or calling
 *   data sources fails after `idleMs` of such silence.
 */

/** The program never finished: nothing it does can complete the preview. */
export class StuckProgramError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StuckProgramError";
  }
}

export interface Watchdog {
  /** Rejects with the first failure; never resolves. */
  readonly failed: Promise<never>;
  /** Something happened (a registration, a data-source call): restart the idle timer. */
  touch(): void;
  /** Stops the idle timer and the end-of-loop check (the program finished). */
  dispose(): void;
}

export interface WatchdogOptions {
  /** Milliseconds without any registration or data-source call before the run fails. */
  idleMs: number;
  /** Describes the progress so far for the message ("2 cloud resources registered, the last at ..."). */
  progress(): string;
}

/** Default idle limit: generous for slow programs, bounded for stuck ones. */
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/** The idle limit from `MERIDIAN_PREVIEW_IDLE_TIMEOUT` (seconds), else the default. */
export function idleTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MERIDIAN_PREVIEW_IDLE_TIMEOUT;
  if (raw === undefined || raw === "") return DEFAULT_IDLE_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`MERIDIAN_PREVIEW_IDLE_TIMEOUT must be a positive number of seconds (got "${raw}")`);
  return seconds * 1000;
}

/**
 * Starts watching. The rejection handlers stay for the life of the process (one preview per process, and
 * the SDK's own promises may reject again after the first failure has been reported).
 */
export function startWatchdog(opts: WatchdogOptions): Watchdog {
  let fail: (err: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // Nobody may be awaiting yet when the first failure arrives.
  failed.catch(() => undefined);

  process.on("unhandledRejection", (err) => fail(err));
  process.on("uncaughtException", (err) => fail(err));

  const seconds = Math.round(opts.idleMs / 100) / 10;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      fail(
        new StuckProgramError(
          `the program did not finish: for ${seconds} s it registered no resource and called no data source, ` +
            `and its main module or exported function has not returned (${opts.progress()}). ` +
            `Look for an awaited promise that never settles or a timer or connection that keeps it running.`,
        ),
      );
    }, opts.idleMs);
    // The timer alone must not keep the process alive: an empty event loop is detected below.
    timer.unref();
  };
  const onBeforeExit = () =>
    fail(
      new StuckProgramError(
        `the program did not finish: it is waiting on a promise that can never settle (nothing is left to run; ` +
          `${opts.progress()}). Look for an awaited promise that is never resolved.`,
      ),
    );
  process.on("beforeExit", onBeforeExit);
  arm();

  return {
    failed,
    touch: arm,
    dispose() {
      if (timer) clearTimeout(timer);
      process.off("beforeExit", onBeforeExit);
    },
  };
}
