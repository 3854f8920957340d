import { computeSignature } from '@lib/device-client';

/** A raw request with hand-made headers, for tests that break the protocol on purpose. */
export async function rawPost(
  url: string,
  path: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{
  status: number;
  headers: Headers;
  body: { error?: { code: string; details: unknown[] } } & Record<string, unknown>;
}> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return { status: response.status, headers: response.headers, body: parsed as never };
}

/** Headers signed like a device would, with every part overridable. */
export function signed(
  device: { deviceId: string; secret: string },
  path: string,
  body: string | Buffer,
  parts: { timestamp?: number; nonce?: string; method?: string; contentType?: string | null } = {},
): Record<string, string> {
  const timestamp = String(parts.timestamp ?? Date.now());
  const nonce =
    parts.nonce ?? `n${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`.padEnd(16, 'x');
  const headers: Record<string, string> = {
    'X-Device-Id': device.deviceId,
    'X-Timestamp': timestamp,
    'X-Nonce': nonce,
    'X-Signature': computeSignature(device.secret, {
      method: parts.method ?? 'POST',
      pathAndQuery: path,
      timestamp,
      nonce,
      body,
    }),
  };
  if (parts.contentType !== null) headers['Content-Type'] = parts.contentType ?? 'application/json';
  return headers;
}
