/**
 * What another instance learns through Redis pub/sub arrives a moment later, not within the
 * request that caused it: asks again every 20 ms, for at most one second.
 */
export async function withinOneSecond(status: () => Promise<number>, expected: number): Promise<void> {
  const deadline = Date.now() + 1000;
  let seen = await status();
  while (seen !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen = await status();
  }
  expect(seen).toBe(expected);
}
