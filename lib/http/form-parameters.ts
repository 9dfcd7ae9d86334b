import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { InvalidRequestError, InvalidTargetError } from '../errors/oauth.error';
import { FORM_MEDIA_TYPE, isFormBody } from '../protocol/media-type';

/** Longest value any parameter of ours can legitimately have. */
const MAX_PARAMETER_LENGTH = 4096;

export type FormParameters = Readonly<Record<string, string>>;

/**
 * The body of an OAuth endpoint request as single string values. RFC 6749 §3.2 requires a form
 * POST; §3.1 forbids repeated parameters and says an empty one counts as omitted.
 */
export function formParameters(request: DeviceAuthRequest): FormParameters {
  if (!isFormBody(request)) throw new InvalidRequestError(`The request body must be ${FORM_MEDIA_TYPE} in UTF-8`);
  const body: unknown = request.body ?? {};
  if (typeof body !== 'object' || body === null) throw new InvalidRequestError('The request body could not be read as a form');
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    // `a[]=` / `a[b]=`: Express's parser makes arrays and objects of them, Fastify's keeps the brackets.
    if (name.includes('[')) throw new InvalidRequestError(`Parameter "${name.slice(0, 100)}" must be a single string value`);
    // RFC 8707 allows several resources; this server issues a token for one at a time (§2: invalid_target).
    if (Array.isArray(value) && name === 'resource') throw new InvalidTargetError('Ask for one resource per request');
    if (Array.isArray(value)) throw new InvalidRequestError(`Parameter "${name}" must not be repeated`);
    if (typeof value !== 'string') throw new InvalidRequestError(`Parameter "${name}" must be a single string value`);
    if (value.length > MAX_PARAMETER_LENGTH) throw new InvalidRequestError(`Parameter "${name}" is too long`);
    if (/[\0\r\n]/.test(value)) throw new InvalidRequestError(`Parameter "${name}" contains control characters`);
    if (value !== '') parameters[name] = value;
  }
  return parameters;
}

export function requiredParameter(parameters: FormParameters, name: string): string {
  const value = parameters[name];
  if (value === undefined) throw new InvalidRequestError(`Missing required parameter "${name}"`);
  return value;
}
