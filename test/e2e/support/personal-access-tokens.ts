import { Agent } from 'node:http';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import type { PersonalAccessTokenView } from '../../../lib';
import { parseChallenge } from './bearer';
import { ISSUER, TestApp } from './test-app';

export const API = '/o/personal-access-tokens';
export const ME = '/api/v1/me';
export const LISTINGS = '/api/v1/listings';
export const DAY = 24 * 3600;

/** What POST /o/personal-access-tokens answers: the view and, this once, the raw token. */
export type CreatedToken = PersonalAccessTokenView & { token: string };

/** Creates a PAT through the JSON API (as a signed-in browser, or with a bearer token). */
export async function createToken(
  caller: TestAgent | { testApp: TestApp; bearer: string },
  body: Record<string, unknown> = {},
): Promise<CreatedToken> {
  const payload = { name: 'deploy script', scopes: ['user:read'], ...body };
  const post =
    'testApp' in caller ? request(caller.testApp.http).post(API).set('Authorization', `Bearer ${caller.bearer}`) : caller.post(API);
  const response = await post.send(payload);
  if (response.status !== 201) throw new Error(`expected 201 from POST ${API}, got ${response.status}: ${response.text}`);
  return response.body as CreatedToken;
}

export const listTokens = async (browser: TestAgent): Promise<PersonalAccessTokenView[]> => (await browser.get(API).expect(200)).body;

/** A call to the sample app's `/api/v1/me` with a bearer token, connecting from another loopback address so the app sees another client IP. */
export const callFrom = (testApp: TestApp, address: string, token: string) =>
  request(testApp.http)
    .get(ME)
    .agent(new Agent({ localAddress: address }))
    .set('Authorization', `Bearer ${token}`);

/** A 401 whose challenge is `Bearer realm="<issuer>", error="invalid_token"`. */
export function expectInvalidToken(response: request.Response, description?: RegExp): void {
  expect(response.status).toBe(401);
  const challenge = parseChallenge(response.headers['www-authenticate']);
  expect(challenge.scheme).toBe('Bearer');
  expect(challenge.params).toMatchObject({ realm: ISSUER, error: 'invalid_token' });
  if (description) expect(challenge.params.error_description).toMatch(description);
}

/** A 400 `invalid_request` JSON answer, never cached, with a description matching `description`. */
export function expectInvalidRequest(response: request.Response, description: RegExp): void {
  expect(response.status).toBe(400);
  expect(response.type).toBe('application/json');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.body.error).toBe('invalid_request');
  expect(response.body.error_description).toMatch(description);
}

export interface StoredRow {
  token_hash: string;
  display_hint: string;
  expires_at: number | null;
  last_used_at: number | null;
  last_used_ip: string | null;
  revoked_at: number | null;
}

/** The stored row of a PAT, read straight from the database (epoch-millis columns as numbers: PostgreSQL gives bigint as a string). */
export async function storedRow(testApp: TestApp, id: string): Promise<StoredRow> {
  const rows = await testApp.app.get(DataSource).query(`SELECT * FROM device_auth_personal_access_tokens WHERE id = '${id}'`);
  expect(rows).toHaveLength(1);
  const millis = (value: unknown) => (value === null ? null : Number(value));
  const row = rows[0] as StoredRow;
  return { ...row, last_used_at: millis(row.last_used_at), revoked_at: millis(row.revoked_at), expires_at: millis(row.expires_at) };
}

export const iso = (millis: number) => new Date(millis).toISOString();
