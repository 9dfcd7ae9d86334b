import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { optionsTableRows, ROOT } from '../docs/manual';

/** Each options interface and the prefix its members have in the table of docs/options.md. */
const GROUPS: Record<string, string> = {
  DeviceAuthModuleOptions: '',
  DeviceAuthPaths: 'paths.',
  DeviceCodeOptions: 'deviceCode.',
  AuthorizationCodeOptions: 'authorizationCode.',
  AccessTokenOptions: 'accessToken.',
  RefreshTokenOptions: 'refreshToken.',
  PersonalAccessTokenOptions: 'personalAccessTokens.',
  CleanupOptions: 'cleanup.',
  RateLimitOptions: 'rateLimits.',
  RedisOptions: 'redis.',
  ProtectedResourceOptions: 'protectedResource.',
  AdditionalResourceOptions: 'resources[].',
  TokenExchangeOptions: 'tokenExchange.',
  SecretScanningOptions: 'secretScanning.',
  DynamicRegistrationOptions: 'dynamicRegistration.',
  ClientIdMetadataDocumentOptions: 'clientIdMetadataDocuments.',
};

/** Top-level members that only group others: their members have the rows. */
const GROUP_MEMBERS = ['paths', 'deviceCode', 'authorizationCode', 'accessToken', 'refreshToken', 'rateLimits'];

/** Markdown emphasis and code marks are presentation; the text must agree. */
const plain = (text: string): string => text.replace(/[`*]/g, '').trim();

function jsdocDefaults(): Map<string, string> {
  const file = join(ROOT, 'lib', 'options', 'device-auth-options.interface.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const defaults = new Map<string, string>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || !(node.name.text in GROUPS)) return;
    for (const member of node.members) {
      const name = (member.name as ts.Identifier).text;
      const tag = ts.getJSDocTags(member).find((candidate) => candidate.tagName.text === 'default');
      if (tag === undefined) {
        if (node.name.text === 'DeviceAuthModuleOptions' && GROUP_MEMBERS.includes(name)) continue;
        throw new Error(`option ${GROUPS[node.name.text]}${name} has no @default in its JSDoc`);
      }
      defaults.set(GROUPS[node.name.text] + name, plain(ts.getTextOfJSDocComment(tag.comment) ?? ''));
    }
  });
  return defaults;
}

function documentedDefaults(): Map<string, string> {
  return new Map([...optionsTableRows()].map(([name, value]) => [name, plain(value)]));
}

describe('the options table of docs/options.md and the JSDoc of the options', () => {
  it('name the same options with the same defaults', () => {
    const fromJsdoc = jsdocDefaults();
    const fromDocs = documentedDefaults();
    expect([...fromDocs.keys()].sort()).toEqual([...fromJsdoc.keys()].sort());
    for (const [name, value] of fromJsdoc) expect([name, fromDocs.get(name)]).toEqual([name, value]);
  });
});
