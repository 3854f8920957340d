import type { AuthorityFieldError, WireInvoiceStatus } from '@lib/protocols';
import type { SimClock } from '../core/sim-clock';
import { recordFromWire, type AuthorityRecord } from './authority-record';
import { AuthorityRepository, type VisibilityStats } from './authority.repository';
import { AuthorityUploadService } from './authority-upload.service';
import { ClearCardRepository } from './clear-card.repository';
import { validateInvoice } from './invoice-validation';
import { generateRecords, generateSpecSchema, type GenerateSpec } from './record-generator';
import { RedFormService } from './red-form.service';
import { VerificationService } from './verification.service';

export interface AuthoritySettings {
  /** Simulated ms between acceptance and visibility in query/list ("T+1" in spirit). */
  visibilityLagMs: number;
  /** 查验 of one invoice per simulated day and channel. */
  dailyQueryQuota: number;
  /** Red-letter forms not confirmed within this simulated time turn 07. */
  redFormConfirmMs: number;
}

export interface GenerateSummary {
  generated: number;
  skipped: number;
  firstKey: string | null;
  lastKey: string | null;
}

const GENERATE_BATCH = 50_000;

export interface SeedRecordInput {
  invoice: unknown;
  status?: WireInvoiceStatus;
  /** Visible at once unless false (then never) or a lag is given. */
  visible?: boolean;
  visibilityLagMs?: number;
}

/** The simulated tax authority's state and rules, shared by its HTTP API and the platforms that relay to it. */
export class AuthoritySimulator {
  readonly repository = new AuthorityRepository();
  readonly clearCards = new ClearCardRepository();
  readonly redForms: RedFormService;
  readonly uploads: AuthorityUploadService;
  readonly verification: VerificationService;

  constructor(
    private readonly clock: SimClock,
    readonly settings: AuthoritySettings,
  ) {
    this.redForms = new RedFormService(this.repository, clock, settings.redFormConfirmMs);
    this.uploads = new AuthorityUploadService(
      this.repository,
      clock,
      () => this.settings.visibilityLagMs,
      (id, key) => this.redForms.usable(id, key),
      (id, redKey) => this.redForms.use(id, redKey),
    );
    this.verification = new VerificationService(this.repository, clock, () => this.settings.dailyQueryQuota);
  }

  /** Seeds explicit records only the authority has (issued elsewhere); invalid ones are reported, not stored. */
  seed(items: SeedRecordInput[]): {
    added: number;
    skipped: number;
    errors: Array<{ index: number; errors: AuthorityFieldError[] }>;
  } {
    const now = this.clock.now();
    const errors: Array<{ index: number; errors: AuthorityFieldError[] }> = [];
    let added = 0;
    let skipped = 0;
    items.forEach((item, index) => {
      const { seller, negative } = peek(item.invoice);
      const validation = validateInvoice(item.invoice, negative ? 'red-issued' : 'issued', seller);
      if (!validation.ok) return void errors.push({ index, errors: validation.errors });
      const { invoice, issuedAtMs } = validation.value;
      const key = `${invoice.code ?? ''}${invoice.number}`;
      if (this.repository.has(key)) return void (skipped += 1);
      const visibleAtMs =
        item.visible === false ? Number.POSITIVE_INFINITY : now + (item.visibilityLagMs ?? 0);
      this.repository.add(
        recordFromWire(invoice, key, issuedAtMs, {
          acceptedAtMs: now,
          visibleAtMs,
          source: 'seed',
          uploadId: `SEED-${key}`,
          status: item.status,
        }),
      );
      added += 1;
    });
    return { added, skipped, errors };
  }

  /**
   * Bulk, deterministic generation (benchmarks; see record-generator.ts). Inserts in batches and yields
   * to the event loop between them, so a million records do not stall the servers.
   */
  async generate(input: GenerateSpec): Promise<GenerateSummary> {
    const spec = generateSpecSchema.parse(input);
    const summary: GenerateSummary = { generated: 0, skipped: 0, firstKey: null, lastKey: null };
    let batch: AuthorityRecord[] = [];
    const flush = async (): Promise<void> => {
      this.repository.addMany(batch, spec.period);
      batch = [];
      await new Promise((resolve) => setImmediate(resolve));
    };
    for (const record of generateRecords(spec, this.clock.now())) {
      if (this.repository.has(record.key)) {
        summary.skipped += 1;
        continue;
      }
      summary.generated += 1;
      summary.firstKey ??= record.key;
      summary.lastKey = record.key;
      batch.push(record);
      if (batch.length === GENERATE_BATCH) await flush();
    }
    await flush();
    return summary;
  }

  stats(): VisibilityStats {
    return this.repository.stats(this.clock.now());
  }

  reset(): void {
    this.repository.clear();
    this.uploads.clear();
    this.redForms.clear();
    this.clearCards.clear();
  }
}

/** Seeded invoices are their seller's own; a negative total makes a red one. */
function peek(invoice: unknown): { seller: string; negative: boolean } {
  const fields = (invoice && typeof invoice === 'object' ? invoice : {}) as Record<string, unknown>;
  return {
    seller: String(fields.sellerTaxNo ?? ''),
    negative: String(fields.totalAmount ?? '').startsWith('-'),
  };
}
