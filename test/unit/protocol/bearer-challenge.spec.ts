import { validateHeaderValue } from 'node:http';
import { bearerChallenge, type BearerChallengeAttributes } from '../../../lib/protocol/bearer-challenge';
import { CHALLENGE_DESCRIPTIONS } from '../../../lib/protocol/challenge-descriptions';

const REALM = 'https://api.example.com';

/** RFC 6750 §3: the characters a quoted attribute value may hold. */
const RFC_6750_VALUE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** What Node does before sending a header: throws ERR_INVALID_CHAR (an answer of 500) for text outside Latin-1. */
const sendable = (value: string): boolean => {
  validateHeaderValue('WWW-Authenticate', value);
  return /^[\x20-\x7e]*$/.test(value);
};

describe('bearerChallenge: the one WWW-Authenticate builder', () => {
  it('writes the realm, then error, error_description, scope and resource_metadata, in that order', () => {
    expect(
      bearerChallenge(REALM, {
        resource_metadata: `${REALM}/.well-known/oauth-protected-resource`,
        scope: 'listings:read listings:write',
        error_description: 'This token lacks a scope this route requires',
        error: 'insufficient_scope',
      }),
    ).toBe(
      `Bearer realm="${REALM}", error="insufficient_scope", error_description="This token lacks a scope this route requires", ` +
        `scope="listings:read listings:write", resource_metadata="${REALM}/.well-known/oauth-protected-resource"`,
    );
    expect(bearerChallenge(REALM)).toBe(`Bearer realm="${REALM}"`);
  });

  it.each(CHALLENGE_DESCRIPTIONS)('sends the fixed description %j unchanged: it is within RFC 6750 §3', (description) => {
    expect(description).toMatch(RFC_6750_VALUE);
    expect(bearerChallenge(REALM, { error: 'invalid_token', error_description: description })).toBe(
      `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
    );
  });

  // The types admit only the vocabulary; these casts stand for a JavaScript caller or a slip.
  it.each([
    ["a body parser's message (issue 17)", 'Unexpected token \'絻\', "絻" is not valid JSON'],
    ['client text with CR/LF', 'x\r\nSet-Cookie: a=b'],
    ['a fixed sentence with more appended', 'The access token is invalid: eyJhbGciOi'],
  ])('leaves out a description outside the vocabulary: %s', (_label, text) => {
    const challenge = bearerChallenge(REALM, {
      error: 'invalid_request',
      error_description: text as BearerChallengeAttributes['error_description'],
    });
    expect(challenge).toBe(`Bearer realm="${REALM}", error="invalid_request"`);
  });

  it('leaves out an error code outside RFC 6750 and attributes of other names', () => {
    const attributes = { error: 'server_error\r\nX: 1', 'x"evil': 'a', charset: 'utf-16' } as unknown as BearerChallengeAttributes;
    expect(bearerChallenge(REALM, attributes)).toBe(`Bearer realm="${REALM}"`);
  });

  it.each([
    ['quotes and backslashes', 'a"b\\c', 'abc'],
    ['CR/LF and NUL', 'a\r\nb\u0000c', 'abc'],
    ['text outside Latin-1', 'a絻b\u202ec', 'abc'],
    ['Latin-1 letters outside ASCII', 'aéb', 'ab'],
  ])('drops %s from the realm, the scope and the metadata URL', (_label, text, kept) => {
    const challenge = bearerChallenge(text, { scope: text, resource_metadata: text });
    expect(challenge).toBe(`Bearer realm="${kept}", scope="${kept}", resource_metadata="${kept}"`);
    expect(sendable(challenge)).toBe(true);
  });
});
