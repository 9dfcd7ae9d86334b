import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { PersonalAccessTokenView } from '../../../lib';
import { csrfTokenOf } from './device-flow';
import { listTokens } from './personal-access-tokens';
import { present } from './present';
import { expectPageSecurityHeaders } from './verification-page';

export const PAGE = '/settings/tokens';

export type Fields = [string, string][];

/** A form body as a browser encodes it: repeated names for checked boxes, nothing bracketed. */
export const encode = (fields: Fields): string => new URLSearchParams(fields).toString();

/** The token shown once after creation, or null. */
export const newTokenOf = (html: string): string | null => /<p class="token" id="new-token">([^<]*)<\/p>/.exec(html)?.[1] ?? null;

export const noticeOf = (html: string): string | null => /<p class="notice" role="status">([^<]*)<\/p>/.exec(html)?.[1] ?? null;

/** The rows of the "Your tokens" table, as HTML. */
export const rowsOf = (html: string): string[] => [...html.matchAll(/<tr><td class="name">.*?<\/tr>/gs)].map((match) => match[0]);

/** A row's cells by their label (the list's column headings), as HTML. */
export const cellsOf = (row: string): Record<string, string> =>
  Object.fromEntries([...row.matchAll(/<td data-label="([^"]*)">(.*?)<\/td>/gs)].map((match) => [match[1], match[2]]));

/** The value of each `<option>` of the expiry select, and which one is selected. */
export function expiryOptionsOf(html: string): { values: string[]; selected: string | undefined } {
  const select = /<select id="expires_in_days" name="expires_in_days">(.*?)<\/select>/s.exec(html)?.[1] ?? '';
  const options = [...select.matchAll(/<option value="([^"]*)"( selected)?>/g)];
  return { values: options.map((option) => option[1]), selected: options.find((option) => option[2])?.[1] };
}

export const openPage = (browser: TestAgent) => browser.get(PAGE).expect(200);

/** Submits a form of the page with the CSRF token the page gave this browser (unless `fields` brings its own). */
export async function submit(browser: TestAgent, fields: Fields): Promise<request.Response> {
  const withToken = fields.some(([name]) => name.startsWith('csrf_token'))
    ? fields
    : [['csrf_token', csrfTokenOf((await openPage(browser)).text)] as [string, string], ...fields];
  return browser.post(PAGE).type('form').send(encode(withToken));
}

export const createFields = (name: string, scopes: string[], expiresInDays?: string): Fields => [
  ['action', 'create'],
  ['name', name],
  ...scopes.map((scope): [string, string] => ['scopes', scope]),
  ...(expiresInDays === undefined ? [] : [['expires_in_days', expiresInDays] as [string, string]]),
];

/** Follows a POST's 303 as a browser does: a GET of its Location. */
export async function follow(browser: TestAgent, response: request.Response): Promise<request.Response> {
  expect(response.status).toBe(303);
  expectPageSecurityHeaders(response);
  return browser.get(response.headers.location).expect(200);
}

/** Creates a token on the page as a user would (the form's POST, then the page it redirects to), and returns the token it shows once. */
export async function createOnPage(browser: TestAgent, name: string, scopes: string[], expiresInDays?: string): Promise<string> {
  const shown = await follow(browser, await submit(browser, createFields(name, scopes, expiresInDays)));
  const token = newTokenOf(shown.text);
  expect(token).toMatch(/^bpat_[0-9A-Za-z]{36}$/);
  return token as string;
}

/** The page's answer to a revoke form for `id`, as sent from the question page. */
export async function revokeOnPage(browser: TestAgent, id: string): Promise<request.Response> {
  const question = await browser.get(PAGE).query({ revoke: id });
  const fields: Fields = question.status === 200 ? [['csrf_token', csrfTokenOf(question.text)]] : [];
  return submit(browser, [...fields, ['action', 'revoke'], ['token_id', id]]);
}

/** The listing of one token, found by its hint. */
export const viewOf = async (browser: TestAgent, token: string): Promise<PersonalAccessTokenView> =>
  present(
    (await listTokens(browser)).find((view) => view.hint === `bpat_…${token.slice(-4)}`),
    'the token in the list',
  );

/** How many of the user's tokens have that name. */
export const countNamed = async (browser: TestAgent, name: string): Promise<number> =>
  (await listTokens(browser)).filter((view) => view.name === name).length;

/** A date as the page's list shows it. */
export const day = (millis: number) => new Date(millis).toISOString().slice(0, 10);
