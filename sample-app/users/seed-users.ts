/** The accounts every sample app starts with (shown in the README and printed by main.ts). */
export const ALICE = { username: 'alice', displayName: 'Alice', password: 'alice-password' };
export const BOB = { username: 'bob', displayName: 'Bob', password: 'bob-password' };

export const SEED_USERS = [ALICE, BOB];
