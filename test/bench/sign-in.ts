/** Signs alice in through the real device flow over HTTP, as a CLI and a browser would. */
export async function deviceFlowTokens(baseUrl: string): Promise<{ accessToken: string; refreshToken: string }> {
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual' as const,
  });
  const start = (await (await fetch(`${baseUrl}/o/device-authorization/`, form({ client_id: 'sample-cli' }))).json()) as {
    user_code: string;
    device_code: string;
  };
  // The sign-in form first: its CSRF token must come back with the cookie it set.
  const loginPage = await fetch(`${baseUrl}/login`);
  const loginCsrf = /name="csrf_token" value="([^"]+)"/.exec(await loginPage.text())?.[1] ?? '';
  const login = await fetch(`${baseUrl}/login`, {
    ...form({ csrf_token: loginCsrf, username: 'alice', password: 'alice-password', next: '/' }),
    headers: { cookie: (loginPage.headers.get('set-cookie') ?? '').split(';')[0], 'content-type': 'application/x-www-form-urlencoded' },
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const confirm = await (await fetch(`${baseUrl}/oauth/device?user_code=${start.user_code}`, { headers: { cookie } })).text();
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(confirm)?.[1] ?? '';
  await fetch(`${baseUrl}/oauth/device`, {
    ...form({ user_code: start.user_code, csrf_token: csrf, action: 'approve' }),
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
  const tokens = (await (
    await fetch(
      `${baseUrl}/o/token/`,
      form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: 'sample-cli', device_code: start.device_code }),
    )
  ).json()) as { access_token?: string; refresh_token?: string };
  if (!tokens.access_token || !tokens.refresh_token) throw new Error(`device flow failed: ${JSON.stringify(tokens)}`);
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}

export async function createPersonalAccessToken(baseUrl: string, accessToken: string): Promise<string> {
  const response = await fetch(`${baseUrl}/o/personal-access-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', scopes: ['user:read'] }),
  });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`PAT creation failed: ${JSON.stringify(body)}`);
  return body.token;
}
