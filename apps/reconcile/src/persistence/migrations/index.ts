import { CreateAuthorityChecks1765000000900 } from '../../pull/create-authority-checks.migration';
import { CreateFindings1765000000002 } from './create-findings.migration';
import { CreateProjections1765000000000 } from './create-projections.migration';
import { CreateRuns1765000000001 } from './create-runs.migration';
import { TrackCorrectionForms1765000000003 } from './track-correction-forms.migration';

/** Reconcile's own migrations, in order (the outbox and inbox come from the platform). */
export const RECONCILE_MIGRATIONS = [
  CreateProjections1765000000000,
  CreateRuns1765000000001,
  CreateFindings1765000000002,
  TrackCorrectionForms1765000000003,
  CreateAuthorityChecks1765000000900,
];
