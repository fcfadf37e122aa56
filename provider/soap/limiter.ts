/**
 * At most `max` tasks at once, the rest queued in order. Pulumi runs every independent
 * resource at the same time; a small panel (one PHP-FPM pool of a few workers, shared with
 * its own UI) must not get hundreds of requests at once.
 *
 * A finishing task hands its slot straight to the next one in the queue (the count never
 * drops and rises again), so a task that arrives in between cannot slip in and make it
 * `max + 1`.
 */
export function createLimiter(max: number) {
    if (!(max >= 1)) throw new RangeError(`concurrency limit must be at least 1, got ${max}`);
    let active = 0;
    let peak = 0;
    const queue: (() => void)[] = [];
    const release = () => {
        const next = queue.shift();
        if (next) next();
        else active--;
    };
    return {
        async run<T>(task: () => Promise<T>): Promise<T> {
            if (active >= max) await new Promise<void>((r) => queue.push(r));
            else active++;
            peak = Math.max(peak, active);
            try {
                return await task();
            } finally {
                release();
            }
        },
        /** Highest number of tasks that ran at once. */
        peak: () => peak,
    };
}
