/**
 * Thrown by a store of shared state other than the database (the Redis of the rate-limit
 * counters) that cannot be reached: answered as a database outage is, since no limit can be
 * checked without it and letting requests through unchecked would hand out unlimited guesses.
 */
export class SharedStoreUnavailableError extends Error {}
