import { AppError } from '@lib/common';
import { invoicesRequestSchema, MAX_INVOICES_PER_REQUEST, parseBody } from '@lib/contracts';
import { DevicePrincipal } from '../../auth/device-principal';
import { GatewayErrorCode } from '../../gateway-error-codes';

/** `POST /v1/invoices` after authentication: the device and its items, each still to be validated on its own. */
export interface IngestInvoicesCommand {
  device: DevicePrincipal;
  items: unknown[];
}

/**
 * Checks the request envelope only ({invoices: [1..1000 items]}); the items stay unknown so that one bad item never
 * rejects the others. EMPTY_BATCH and TOO_MANY_ITEMS have their own codes, anything else is INVALID_BODY.
 */
export function toIngestInvoicesCommand(device: DevicePrincipal, body: unknown): IngestInvoicesCommand {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError(
      GatewayErrorCode.INVALID_BODY,
      'validation',
      'the body must be a JSON object {"invoices": [...]}',
    );
  }
  const invoices = (body as { invoices?: unknown }).invoices;
  if (Array.isArray(invoices) && invoices.length === 0) {
    throw new AppError(GatewayErrorCode.EMPTY_BATCH, 'validation', 'invoices must hold at least one item');
  }
  if (Array.isArray(invoices) && invoices.length > MAX_INVOICES_PER_REQUEST) {
    throw new AppError(
      GatewayErrorCode.TOO_MANY_ITEMS,
      'validation',
      `at most ${MAX_INVOICES_PER_REQUEST} invoices per request, got ${invoices.length}`,
    );
  }
  const parsed = parseBody(invoicesRequestSchema, body);
  if (!parsed.ok)
    throw new AppError(GatewayErrorCode.INVALID_BODY, 'validation', 'the body must be {"invoices": [...]}', {
      details: parsed.errors,
    });
  return { device, items: parsed.value.invoices };
}
