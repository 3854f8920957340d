/** Shapes the console reads. Fields are optional where services are still growing them: the pages tolerate absence. */
export interface Actor {
  kind?: string;
  subject?: string;
  name?: string;
}

export interface Me {
  subject: string;
  name: string;
  email?: string;
  roles: string[];
  branches: 'all' | string[];
  permissions: string[];
  csrfToken: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
  total?: number;
}

export interface HistoryEntry {
  fromState?: string | null;
  toState?: string;
  action?: string;
  actor?: Actor | string | null;
  reason?: string | null;
  runId?: string | null;
  at?: string;
}

export interface InvoiceRef {
  type?: string | null;
  code?: string | null;
  number?: string;
}

export interface Finding {
  id: string;
  type: string;
  state: string;
  severity: string;
  taxNo?: string;
  branchId?: string | null;
  branchName?: string | null;
  period?: string;
  invoice?: InvoiceRef | null;
  deviceId?: string | null;
  explanation?: string;
  evidence?: Record<string, unknown> | null;
  remediationAttempts?: number;
  createdAt?: string;
  updatedAt?: string;
  history?: HistoryEntry[];
}

export interface FindingSummary {
  byType?: Record<string, number>;
  bySeverity?: Record<string, number>;
  byState?: Record<string, number>;
  byBranch?: { branchId: string | null; open: number; total: number }[];
  byPeriod?: { period: string; open: number; total: number }[];
}

export interface AuditEntry {
  id: string;
  service?: string;
  at?: string;
  actor?: Actor | null;
  action?: string;
  target?: { type?: string; id?: string } | null;
  taxNo?: string | null;
  branchId?: string | null;
  reason?: string | null;
  detail?: unknown;
}

export type Row = Record<string, unknown>;
