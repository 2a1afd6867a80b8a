import { AppError } from '../../core/errors.js';

/**
 * At most `max` user queries at once; another waits up to `queueMs` for a slot, then is refused
 * with `rate_limited` (HTTP 429), so a burst of hostile or heavy queries cannot pile up behind
 * the sandbox. A released slot passes straight to the first waiter, so a newcomer cannot slip
 * in between and run one query too many.
 */
export class QuerySlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly queueMs: number,
  ) {}

  async take(): Promise<void> {
    if (this.running < this.max) {
      this.running++;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    let wake!: () => void;
    const woken = await new Promise<boolean>((resolve) => {
      wake = () => resolve(true);
      this.waiting.push(wake);
      timer = setTimeout(() => resolve(false), this.queueMs);
    });
    clearTimeout(timer);
    if (woken) return;
    this.waiting.splice(this.waiting.indexOf(wake), 1);
    throw new AppError(
      'rate_limited',
      `the SQL sandbox is busy (${this.max} queries are running); try again in a moment`,
    );
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
