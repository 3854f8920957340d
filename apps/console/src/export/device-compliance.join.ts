import type { ServiceName } from '../api/upstream';

type Row = Record<string, unknown>;

/** A GET of a service's `/v1/<path>` with the person's token. */
export type GetJson = <T>(service: ServiceName, path: string) => Promise<T>;

/** The most device ids reconcile takes in one `deviceIds` (and the gateway's largest page). */
export const DEVICE_IDS_PER_CALL = 200;

/**
 * A page of the gateway's registry with reconcile's compliance (last 清卡, cleared for the period due, lock date, offline
 * amount, last 抄报) under `compliance`, joined by device id as the devices page does: one call per page naming its
 * devices, so the export streams page by page. A device reconcile has seen no event of gets `compliance: null`.
 * `period` (the page's filter) picks the period judged.
 */
export async function withDeviceCompliance(rows: Row[], get: GetJson, period?: string): Promise<Row[]> {
  const ids = rows.map((r) => String(r.deviceId));
  const found = new Map<string, Row>();
  for (let i = 0; i < ids.length; i += DEVICE_IDS_PER_CALL) {
    const chunk = ids.slice(i, i + DEVICE_IDS_PER_CALL);
    const query = new URLSearchParams({ deviceIds: chunk.join(','), limit: String(chunk.length) });
    if (period) query.set('period', period);
    const page = await get<{ items: Row[] }>('reconcile', `devices?${query}`);
    for (const item of page.items) found.set(String(item.deviceId), item);
  }
  return rows.map((r) => ({ ...r, compliance: found.get(String(r.deviceId)) ?? null }));
}
