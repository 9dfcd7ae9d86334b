import type request from 'supertest';

/**
 * How an endpoint answers a request it refuses: RFC 6749 §5.2 JSON (the OAuth endpoints and the
 * PAT API), an RFC 6750 §3 `WWW-Authenticate: Bearer` challenge (guarded routes and userinfo), or
 * an HTML page (the browser pages).
 */
export type AnswerFormat = 'oauth' | 'bearer' | 'page';

/** A stack frame (`at fn (/app/lib/x.ts:12:5)`) or a file position, in any answer. */
const STACK_TRACE = /\bat .*\(.*:\d+:\d+\)|\.[tj]s:\d+:\d+/;

/**
 * Printable ASCII (and tab), narrower than the Latin-1 Node would send: every header is built from
 * fixed vocabulary, so no request or parser text (`絻`, CR/LF) can show up in one.
 */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/**
 * Throws, naming the answer, unless it is a refusal in `format`: a 4xx (never a 5xx), never
 * cached, never a stack trace, never Nest's default `{"statusCode","message"}` body, and every
 * header printable ASCII.
 */
export function expectRefusal(response: request.Response, format: AnswerFormat): void {
  const problems: string[] = [];
  const contentType = String(response.headers['content-type'] ?? '');
  if (response.status < 400 || response.status >= 500) problems.push(`status ${response.status} is not a 4xx`);
  if (response.headers['cache-control'] !== 'no-store') problems.push(`Cache-Control is ${response.headers['cache-control']}`);
  if (STACK_TRACE.test(response.text ?? '')) problems.push('the body holds a stack trace');
  for (const [name, value] of Object.entries(response.headers as Record<string, string | string[]>)) {
    for (const one of [value].flat()) if (!HEADER_VALUE.test(one)) problems.push(`header ${name} is ${JSON.stringify(one)}`);
  }
  if (format === 'page') {
    if (!contentType.startsWith('text/html')) problems.push(`Content-Type ${contentType} is not HTML`);
    if (!/^<!doctype html>/i.test(response.text ?? '')) problems.push('the body is not an HTML page');
  } else {
    if (format === 'bearer' && !/^Bearer realm="[^"]*"/.test(String(response.headers['www-authenticate']))) {
      problems.push(`WWW-Authenticate is ${response.headers['www-authenticate']}`);
    }
    if (!contentType.startsWith('application/json')) problems.push(`Content-Type ${contentType} is not JSON`);
    const body = (response.body ?? {}) as Record<string, unknown>;
    if (typeof body.error !== 'string' || !/^[a-z_]+$/.test(body.error)) problems.push('no RFC 6749 "error" code');
    if (typeof body.error_description !== 'string') problems.push('no "error_description"');
    if (format === 'oauth' && ('statusCode' in body || 'message' in body)) problems.push("Nest's default error body");
  }
  if (problems.length > 0) {
    throw new Error(
      `not a ${format} refusal (${problems.join('; ')}): ${response.status} ${contentType}\n${(response.text ?? '').slice(0, 400)}`,
    );
  }
}
