import type { FlowEndpoints } from './endpoints';
import type { LoadSpec } from './load-spec';
import { OIDC_PROVIDER_CLIENT_ID } from './oidc-provider';
import { Row, row, side } from './report';
import { measure, Setup } from './setup';

const OUR_CLIENT_ID = 'sample-cli';
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** Both are 400 answers: the poll was too early for an unapproved code. */
const PENDING = ['authorization_pending', 'slow_down'];
const OURS = 'this library';
const THEIRS = 'node-oidc-provider';
const POLLED_ONCE = `${OURS}, each code polled once`;
const OURS_FLAT_OUT = `${OURS}, a code per connection flat out`;
const THEIRS_FLAT_OUT = `${THEIRS}, a code per connection flat out`;

/** `count` fresh device codes, made outside any measurement. */
export async function deviceCodes(endpoints: FlowEndpoints, clientId: string, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const response = await fetch(endpoints.deviceAuthorization, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: clientId }).toString(),
      });
      const { device_code } = (await response.json()) as { device_code?: string };
      if (device_code === undefined) throw new Error(`${endpoints.deviceAuthorization} answered ${response.status} without a device_code`);
      return device_code;
    }),
  );
}

/**
 * Target 1: device authorizations/s and pending polls/s against node-oidc-provider. Our server
 * answers slow_down to a code polled before its interval has passed (RFC 8628 §3.5) and
 * node-oidc-provider never does, so polls are measured two ways: each of our codes polled once
 * (authorization_pending, what a client keeping its interval sees) and a code per connection
 * polled flat out (slow_down after the first poll). node-oidc-provider answers authorization_pending
 * to both, so one measurement of it serves both rows.
 */
export async function deviceFlowScenarios(setup: Setup): Promise<Row[]> {
  const { ours, theirs, settings } = setup;
  const { connections, seconds, rounds } = settings;
  const authorize = (endpoints: FlowEndpoints, clientId: string, collect?: string): LoadSpec => ({
    url: endpoints.deviceAuthorization,
    method: 'POST',
    form: { client_id: clientId },
    connections,
    seconds,
    expect: { status: 200, field: 'device_code' },
    collect,
  });
  const [ourAuthorizations, theirAuthorizations] = await measure(setup, 'device authorizations', [
    { label: OURS, load: () => authorize(ours.endpoints, OUR_CLIENT_ID, 'device_code') },
    { label: THEIRS, load: () => authorize(theirs.endpoints, OIDC_PROVIDER_CLIENT_ID) },
  ]);

  // The codes the rounds above created, never polled yet: an equal share for each round of polls.
  const unpolled = ourAuthorizations.flatMap((result) => result.collected);
  const share = Math.floor(unpolled.length / rounds);
  const ourCodes = await deviceCodes(ours.endpoints, OUR_CLIENT_ID, connections);
  const theirCodes = await deviceCodes(theirs.endpoints, OIDC_PROVIDER_CLIENT_ID, connections);
  const poll = (endpoints: FlowEndpoints, clientId: string, feed: LoadSpec['feed']): LoadSpec => ({
    url: endpoints.token,
    method: 'POST',
    form: { grant_type: DEVICE_CODE_GRANT, client_id: clientId },
    feed,
    connections,
    seconds,
    expect: { status: 400, errors: PENDING },
  });
  const [polledOnce, ourFlatOut, theirFlatOut] = await measure(setup, 'pending polls', [
    {
      label: POLLED_ONCE,
      load: (round) =>
        poll(ours.endpoints, OUR_CLIENT_ID, { field: 'device_code', values: unpolled.slice(round * share, (round + 1) * share) }),
    },
    {
      label: OURS_FLAT_OUT,
      load: () => poll(ours.endpoints, OUR_CLIENT_ID, { field: 'device_code', values: ourCodes, next: 'same' }),
    },
    {
      label: THEIRS_FLAT_OUT,
      load: () => poll(theirs.endpoints, OIDC_PROVIDER_CLIENT_ID, { field: 'device_code', values: theirCodes, next: 'same' }),
    },
  ]);
  const theirPolls = side(THEIRS_FLAT_OUT, theirFlatOut);
  return [
    row(setup.name, 'device authorizations/s', side(OURS, ourAuthorizations), side(THEIRS, theirAuthorizations), '≥ 1.0'),
    row(setup.name, 'pending polls/s', side(POLLED_ONCE, polledOnce), theirPolls, '≥ 1.0'),
    row(setup.name, 'pending polls/s', side(OURS_FLAT_OUT, ourFlatOut), theirPolls, '≥ 1.0'),
  ];
}
