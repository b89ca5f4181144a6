/** Polls until `probe` returns a value that `done` accepts; for asynchronous effects such as timers and visibility. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, { timeoutMs = 20_000, intervalMs = 200 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  } while (Date.now() < deadline);
  throw new Error(`condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}
