import { signAuthorityRequest } from '@lib/protocols';
import { DEV_CREDENTIALS } from '../../src/config/sandbox-options';
import type { RunningSandbox } from '../../src/sandbox';
import { send, type HttpAnswer } from './http-client';

export interface AuthorityEnvelopeBody<T = Record<string, unknown>> {
  code: string;
  message: string;
  data?: T;
  errors?: Array<{ code: string; field?: string; message: string }>;
}

/** Signs each call like an adapter would (fresh nonce, real timestamp), with hooks to break the rules. */
export function authorityClient(sandbox: RunningSandbox, credential = DEV_CREDENTIALS.authority) {
  return async function call<T = Record<string, unknown>>(
    method: string,
    pathAndQuery: string,
    body?: unknown,
    tweak: {
      timestamp?: number;
      nonce?: string;
      secret?: string;
      tamperBody?: string;
      timeoutMs?: number;
    } = {},
  ): Promise<HttpAnswer<AuthorityEnvelopeBody<T>>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = signAuthorityRequest({
      appId: credential.appId,
      appSecret: tweak.secret ?? credential.appSecret,
      method,
      pathAndQuery,
      body: text,
      timestamp: tweak.timestamp,
      nonce: tweak.nonce,
    });
    return send<AuthorityEnvelopeBody<T>>(method, `${sandbox.urls.authority}${pathAndQuery}`, {
      body: tweak.tamperBody ?? (text === '' ? undefined : text),
      headers,
      timeoutMs: tweak.timeoutMs,
    });
  };
}
