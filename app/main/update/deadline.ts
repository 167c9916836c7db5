/** Waits that end: every wait on Defender has a deadline, because a native call may never return. */

export type Deadlined<T> = { done: true; value: T } | { done: false };

/** Resolves with the value, or with `{ done: false }` once `ms` have passed; the promise itself is left running. */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<Deadlined<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve({ done: false }), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ done: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
