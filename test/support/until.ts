/** Waits for a condition by polling; fails after 20 s saying what it waited for (a wait, not a timing check). */
export function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () =>
      predicate() ? resolve() : Date.now() - started > timeoutMs ? reject(new Error(`timed out waiting for ${what}`)) : setTimeout(poll, 10);
    poll();
  });
}
