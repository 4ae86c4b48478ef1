/** Retries an assertion until it passes or the time is up (for asynchronous effects such as NOTIFY). */
export async function eventually<T>(assertion: () => Promise<T>, { timeoutMs = 3000, intervalMs = 20 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
