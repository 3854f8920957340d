import { buildBaiwangRequest, buildNuonuoRequest, type BaiwangEnvelope } from '@lib/protocols';
import { DEV_CREDENTIALS } from '../../src/config/sandbox-options';
import type { RunningSandbox } from '../../src/sandbox';
import { send, type HttpAnswer } from './http-client';

const BW = DEV_CREDENTIALS.baiwang;
const NN = DEV_CREDENTIALS.nuonuo;

export async function baiwangToken(sandbox: RunningSandbox, extra: Record<string, string> = {}) {
  const body = JSON.stringify({
    grant_type: 'password',
    client_id: BW.appKey,
    client_secret: BW.appSecret,
    username: BW.username,
    password: BW.password,
    ...extra,
  });
  return send<BaiwangEnvelope<{ access_token: string; refresh_token: string; expires_in: number }>>(
    'POST',
    `${sandbox.urls.baiwang}/router/rest?method=baiwang.oauth.token&appKey=${BW.appKey}&timestamp=${Date.now()}&version=6.0`,
    { body },
  );
}

export async function baiwangCall<T = Record<string, unknown>>(
  sandbox: RunningSandbox,
  method: string,
  token: string,
  body: string | object,
  tweak: { secret?: string; tamperBody?: string; timestamp?: number; timeoutMs?: number } = {},
): Promise<HttpAnswer<BaiwangEnvelope<T>>> {
  const request = buildBaiwangRequest({
    appKey: BW.appKey,
    appSecret: tweak.secret ?? BW.appSecret,
    method,
    token,
    body,
    timestamp: tweak.timestamp,
  });
  return send<BaiwangEnvelope<T>>('POST', `${sandbox.urls.baiwang}/router/rest?${request.query}`, {
    body: tweak.tamperBody ?? request.body,
    timeoutMs: tweak.timeoutMs,
  });
}

export async function nuonuoToken(sandbox: RunningSandbox) {
  const form = new URLSearchParams({
    client_id: NN.appKey,
    client_secret: NN.appSecret,
    grant_type: 'client_credentials',
  });
  return send<{ access_token?: string; expires_in?: number; error?: string }>(
    'POST',
    `${sandbox.urls.nuonuo}/accessToken`,
    {
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
  );
}

export async function nuonuoCall<T = unknown>(
  sandbox: RunningSandbox,
  method: string,
  accessToken: string,
  userTax: string,
  body: string | object,
  tweak: { secret?: string; tamperBody?: string; senid?: string; nonce?: string; timeoutMs?: number } = {},
): Promise<HttpAnswer<{ code: string; describe: string; result: T | null }>> {
  const request = buildNuonuoRequest({
    appKey: NN.appKey,
    appSecret: tweak.secret ?? NN.appSecret,
    accessToken,
    userTax,
    method,
    body,
    senid: tweak.senid,
    nonce: tweak.nonce,
  });
  return send('POST', `${sandbox.urls.nuonuo}${request.pathAndQuery}`, {
    body: tweak.tamperBody ?? request.body,
    headers: request.headers,
    timeoutMs: tweak.timeoutMs,
  });
}
