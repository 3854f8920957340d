import { InvoiceEventKind } from '../invoice.model';
import { InvoiceIssue } from './invoice-issue.catalogue';

export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

export interface InvoiceRuleContext {
  kind: InvoiceEventKind;
  /** The time of the event being judged (receipt time): voids and "in the future" are measured against it. */
  now: Date;
  /** The taxpayer the reporting device is bound to; when given, the seller must be it. */
  deviceTaxNo?: string | null;
  /** How far issuedAt may lie ahead of `now` (device clocks drift); default 5 minutes. */
  clockSkewMs?: number;
  /** Prefix of every issue's field; default `invoice`. */
  fieldPrefix?: string;
}

/** Collects issues with field paths under one prefix. */
export class IssueSink {
  readonly issues: InvoiceIssue[] = [];

  constructor(private readonly prefix: string) {}

  path(field: string): string {
    return field ? `${this.prefix}.${field}` : this.prefix;
  }

  add(issue: InvoiceIssue): void {
    this.issues.push(issue);
  }
}
