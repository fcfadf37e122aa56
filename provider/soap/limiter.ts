/**
 * At most `max` tasks at once, the rest queued in order. Pulumi runs every independent
 * resource at the same time; a small panel (one PHP-FPM pool of a few workers, shared with
 * its own UI) must not get hundreds of requests at once.
 */
export function createLimiter(max: number) {
    let active = 0;
    let peak = 0;
    const queue: (() => void)[] = [];
    const release = () => {
        active--;
        const next = queue.shift();
        if (next) next();
    };
    return {
        async run<T>(task: () => Promise<T>): Promise<T> {
            if (active >= max) await new Promise<void>((r) => queue.push(r));
            active++;
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
