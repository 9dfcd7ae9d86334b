import {
  callWith,
  endpointNamed,
  endpoints,
  HOSTILE_INPUT_APP,
  placeholderVictims,
  prepareVictims,
  send,
  Victims,
} from './support/hostile-requests';
import { bootTestApp, TestApp } from './support/test-app';

/** The positive control: without its bad part, each request of the table succeeds. */
describe('hostile input: the valid requests the table starts from', () => {
  let testApp: TestApp;
  let victims: Victims;
  beforeAll(async () => {
    testApp = await bootTestApp(HOSTILE_INPUT_APP);
    victims = await prepareVictims(testApp);
  });
  afterAll(() => testApp.close());

  it.each(endpoints(placeholderVictims()).map((endpoint) => endpoint.name))('%s succeeds', async (name) => {
    const endpoint = endpointNamed(victims, name);
    const response = await send(testApp, callWith(endpoint, endpoint.parameters));
    if (endpoint.validError === undefined) expect(response.status).toBeLessThan(400);
    else expect(response.body.error).toBe(endpoint.validError);
  });
});
