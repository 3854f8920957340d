import { DeviceClient, SampleInvoices } from '@lib/device-client';

export interface SimulatedDevice {
  client: DeviceClient;
  invoices: SampleInvoices;
}

export interface LoadResult {
  invoices: number;
  requests: number;
  latenciesMs: number[];
  startedAt: number;
  sentAt: number;
  notAccepted: number;
}

/**
 * `concurrency` devices post signed batches back to back until `total` invoices were sent. Each device waits for
 * its answer before the next batch, like a device that keeps its data until the gateway took it.
 */
export async function runLoad(
  devices: SimulatedDevice[],
  concurrency: number,
  total: number,
  batchSize: number,
): Promise<LoadResult> {
  const result: LoadResult = {
    invoices: 0,
    requests: 0,
    latenciesMs: [],
    startedAt: Date.now(),
    sentAt: 0,
    notAccepted: 0,
  };
  let claimed = 0;
  const loop = async (device: SimulatedDevice) => {
    while (claimed < total) {
      const size = Math.min(batchSize, total - claimed);
      claimed += size;
      const batch = device.invoices.batch(size);
      const started = performance.now();
      const response = await device.client.postInvoices(batch);
      result.latenciesMs.push(performance.now() - started);
      result.requests++;
      if (response.status !== 200)
        throw new Error(
          `gateway answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`,
        );
      const accepted = response.body.results.filter((r) => r.status === 'accepted').length;
      result.notAccepted += size - accepted;
      result.invoices += size;
    }
  };
  await Promise.all(devices.slice(0, concurrency).map(loop));
  result.sentAt = Date.now();
  return result;
}
