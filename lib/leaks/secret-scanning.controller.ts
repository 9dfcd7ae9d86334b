import { Controller, HttpCode, NotFoundException, Post, Req, UseFilters, UseInterceptors } from '@nestjs/common';
import { verify } from 'node:crypto';
import { DatabaseOutageJsonInterceptor } from '../filters/database-outage-json.interceptor';
import { OAuthExceptionFilter } from '../filters/oauth-exception.filter';
import { InvalidRequestError, OAuthError } from '../errors/oauth.error';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { isJsonBody } from '../http/json-body';
import { NoStore } from '../oauth/no-store.decorator';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { LeakedTokens, LeakFinding, LeakVerdict } from './leaked-tokens.service';
import { SecretScanningKeys } from './secret-scanning-keys.service';

/** More findings than any one report of a scanner carries. */
const MAX_FINDINGS = 1000;

const optionalString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function findingsOf(body: unknown): LeakFinding[] {
  if (!Array.isArray(body) || body.length > MAX_FINDINGS) throw new InvalidRequestError(`Send a list of at most ${MAX_FINDINGS} findings`);
  return body.map((item: unknown) => {
    const { token, type, url, source } = (item ?? {}) as Record<string, unknown>;
    if (typeof token !== 'string' || token === '' || token.length > 4096) throw new InvalidRequestError('Each finding needs its token');
    return { token, type: typeof type === 'string' ? type : '', url: optionalString(url), source: optionalString(source) };
  });
}

/**
 * `POST /o/secret-scanning/`: a secret scanner's report of tokens found in public, in the format
 * of GitHub's secret scanning partner programme. The report is signed (ECDSA P-256 over the raw
 * body, `Github-Public-Key-Signature`, by the key `Github-Public-Key-Identifier` names); an
 * unsigned or forged one changes nothing.
 */
@UseInterceptors(DatabaseOutageJsonInterceptor)
@Controller()
@UseFilters(OAuthExceptionFilter)
export class SecretScanningController {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly keys: SecretScanningKeys,
    private readonly leaks: LeakedTokens,
  ) {}

  @Post()
  @HttpCode(200)
  @NoStore()
  async report(@Req() request: DeviceAuthRequest & { rawBody?: Buffer }): Promise<LeakVerdict[]> {
    if (!this.options.secretScanning) throw new NotFoundException();
    // First: the platforms keep the raw body of the types they parse only (JSON, forms), so a text or
    // multipart body has none whatever the host set, and is a bad request, not a missing setting.
    if (!isJsonBody(request)) throw new InvalidRequestError('Send the report as application/json in UTF-8');
    if (!Buffer.isBuffer(request.rawBody)) {
      throw new Error('nest-device-auth: secret scanning needs the raw body: create the app with NestFactory.create(…, { rawBody: true })');
    }
    await this.verifySignature(request, request.rawBody);
    return this.leaks.report(findingsOf(request.body));
  }

  private async verifySignature(request: DeviceAuthRequest, rawBody: Buffer): Promise<void> {
    const identifier = request.headers['github-public-key-identifier'];
    const signature = request.headers['github-public-key-signature'];
    const unsigned = new OAuthError('invalid_request', 'The report is not signed by a known key', 401);
    if (typeof identifier !== 'string' || typeof signature !== 'string') throw unsigned;
    const key = await this.keys.key(identifier);
    if (!key) throw unsigned;
    let valid = false;
    try {
      valid = verify('sha256', rawBody, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    } catch {
      // A signature that is not DER at all verifies nothing: valid stays false.
    }
    if (!valid) throw new OAuthError('invalid_request', 'The report’s signature does not verify', 401);
  }
}
