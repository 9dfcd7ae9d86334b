import type { TestApp } from './test-app';
import { csrfTokenOf, PASSWORDS, signedInBrowser } from './device-flow';
import { pathOf } from './verification-page';

export const AUTHORIZE_PATH = '/o/authorize/';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&lt;': '<', '&gt;': '>' };

/** The hidden inputs of the consent form (`<form method="post" action="/o/authorize/">`), as the browser posts them. */
export function consentFieldsOf(html: string): Record<string, string> {
  const form = /<form method="post" action="\/o\/authorize\/">([\s\S]*?)<\/form>/.exec(html)?.[1];
  if (form === undefined) throw new Error(`the page has no consent form:\n${html}`);
  const fields: Record<string, string> = {};
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    const attributes = Object.fromEntries([...input.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value]));
    if (attributes.type !== 'hidden' || attributes.name === undefined) continue;
    fields[attributes.name] = (attributes.value ?? '').replace(/&(amp|quot|#39|#x27|lt|gt);/g, (entity) => ENTITIES[entity]);
  }
  expect(fields.csrf_token).toBe(csrfTokenOf(html));
  return fields;
}

/**
 * What the user does with the URL the kit opens: signed in as `username`, they open the consent
 * page, click Approve or Deny, and their browser follows the 303 to the redirect URI, that is to
 * the kit's loopback listener. Resolves with the listener's page.
 */
export async function decideConsent(
  testApp: TestApp,
  authorizeUrl: string,
  action: 'approve' | 'deny',
  username: keyof typeof PASSWORDS = 'alice',
): Promise<Response> {
  const redirectUri = new URL(authorizeUrl).searchParams.get('redirect_uri') as string;
  const browser = await signedInBrowser(testApp, username);
  const consent = await browser.get(pathOf(authorizeUrl)).expect(200);
  const decided = await browser.post(AUTHORIZE_PATH).type('form').send({ ...consentFieldsOf(consent.text), action }).expect(303);
  const location = decided.headers.location as string;
  expect(location.startsWith(`${redirectUri}?`)).toBe(true);
  return fetch(location);
}
