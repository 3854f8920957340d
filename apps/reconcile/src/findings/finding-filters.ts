import { FindingSeverity, FindingState, FindingType } from '@lib/contracts';

/** The filters of a findings list, without paging (the total counts these); `GET /v1/findings` parses them (http/api.schemas). */
export interface FindingFilters {
  taxNo?: string;
  period?: string;
  type?: FindingType;
  state?: FindingState;
  branchId?: string;
  severity?: FindingSeverity;
  /** The invoice's number, exactly (the 20-digit 数电 number, or a legacy invoice's 8-digit number). */
  invoiceNumber?: string;
}

/** The scope of the console's overview (`GET /v1/findings/summary`). */
export interface FindingsSummaryQuery {
  taxNo?: string;
  period?: string;
  branchId?: string;
}
