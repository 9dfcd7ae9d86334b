import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { ClientIdMetadataDocumentOptions } from '../options/device-auth-options.interface';
import { ClientMetadataDocumentError } from '../errors/client-metadata-document.error';
import { isSpecialUseAddress } from './special-use-addresses';

export type FetchLimits = Pick<ClientIdMetadataDocumentOptions, 'maxBytes' | 'timeoutMs' | 'allowPrivateAddresses'>;

export interface FetchedDocument {
  /** The parsed JSON, not checked yet. */
  document: unknown;
  cacheControl: string | undefined;
}

/** `application/json`, or a more specific `application/…+json` (the draft allows both). */
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.!#$&^_-]+\+)?json$/;

/**
 * Resolves as Node would, then refuses the name if any of its addresses is special-use: the check
 * applies to the very addresses the socket connects to, so a second, rebound answer cannot slip past.
 */
const publicAddressesOnly: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    if (addresses.some(({ address }) => isSpecialUseAddress(address))) {
      return callback(new ClientMetadataDocumentError(`${hostname} resolves to a private or special-use address`), '');
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

/**
 * GETs a Client ID Metadata Document: from public addresses only (unless `allowPrivateAddresses`),
 * without following redirects, reading at most `maxBytes` within `timeoutMs`; only a 200 with a JSON
 * media type and a JSON body is an answer. Everything else rejects with a ClientMetadataDocumentError.
 */
export function fetchMetadataDocument(url: URL, limits: FetchLimits): Promise<FetchedDocument> {
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  // Node connects to an IP literal without a lookup: it is checked here instead.
  if (!limits.allowPrivateAddresses && isIP(literal) !== 0 && isSpecialUseAddress(literal)) {
    return Promise.reject(new ClientMetadataDocumentError(`${url.host} is a private or special-use address`));
  }
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, {
      agent: false,
      headers: { accept: 'application/json' },
      lookup: limits.allowPrivateAddresses ? undefined : publicAddressesOnly,
    });
    const fail = (problem: string): void => {
      reject(new ClientMetadataDocumentError(problem));
      outgoing.destroy();
    };
    const timer = setTimeout(() => fail(`it did not arrive within ${limits.timeoutMs} ms`), limits.timeoutMs);
    outgoing.on('close', () => clearTimeout(timer));
    outgoing.on('error', (error) =>
      fail(error instanceof ClientMetadataDocumentError ? error.message : `it could not be fetched (${error.message})`),
    );
    outgoing.on('response', (response) => read(response, limits.maxBytes, fail, resolve));
    outgoing.end();
  });
}

function read(
  response: IncomingMessage,
  maxBytes: number,
  fail: (problem: string) => void,
  resolve: (fetched: FetchedDocument) => void,
): void {
  response.on('error', () => fail('the connection broke while reading it'));
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400) return fail(`it answered ${status}, a redirect, and redirects are not followed`);
  if (status !== 200) return fail(`it answered ${status} instead of 200`);
  const mediaType = response.headers['content-type']?.split(';')[0].trim().toLowerCase() ?? '';
  if (!JSON_MEDIA_TYPE.test(mediaType)) return fail('its content type is not application/json');
  if (Number(response.headers['content-length']) > maxBytes) return fail(`it is larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) return fail(`it is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  });
  response.on('end', () => {
    let document: unknown;
    try {
      document = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return fail('it is not valid JSON');
    }
    resolve({ document, cacheControl: response.headers['cache-control'] });
  });
}
