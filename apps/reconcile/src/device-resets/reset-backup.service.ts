import { createHash, Hash } from 'node:crypto';
import { once } from 'node:events';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, Clock, CLOCK } from '@lib/common';
import { periodOf, previousPeriod } from '@lib/domain';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { BACKUP_BOM, backupHeaderLine, backupLine } from './backup-csv';
import { DeviceResetRow, stateAfter } from './device-reset.model';
import { DeviceResetsRepository } from './device-resets.repository';
import { ReconcileErrorCode } from '../reconcile-error-codes';

const PAGE = 500;

/**
 * `GET /v1/device-resets/{id}/backup.csv`. While the reset is at its backup step, the device's ledger invoices of the
 * open period and the previous one are streamed from one consistent snapshot, stored line by line, and the step is
 * completed with the file's SHA-256 and row count, in the transaction that reads them; the response ends only after
 * that commit, so a download that breaks off records nothing. Once taken, the backup is served again from what was
 * stored: the same bytes, the same SHA-256.
 */
@Injectable()
export class ResetBackupService {
  private readonly logger = new Logger('DeviceResets');

  constructor(
    private readonly dataSource: DataSource,
    private readonly resets: DeviceResetsRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async download(id: string, principal: Principal, res: Response): Promise<void> {
    const reset = await this.resets.find(this.dataSource.manager, id, principal.scope);
    if (!reset) throw new AppError(ReconcileErrorCode.RESET_NOT_FOUND, 'not_found', `no device reset ${id}`);
    if (reset.backupSha256) return this.replay(reset, res);
    if (reset.state !== 'backup')
      throw new AppError(ReconcileErrorCode.RESET_ENDED, 'conflict', `reset ${id} is ${reset.state} and has no backup`);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let started = false;
    try {
      await runner.startTransaction('REPEATABLE READ');
      const locked = await this.resets.find(runner.manager, id, principal.scope, true);
      if (!locked || locked.backupSha256 || locked.state !== 'backup') {
        // Another download took it meanwhile: serve that one.
        await runner.rollbackTransaction();
        if (locked?.backupSha256) return this.replay(locked, res);
        throw new AppError(ReconcileErrorCode.RESET_ENDED, 'conflict', `reset ${id} is no longer at its backup step`);
      }
      started = true;
      this.startResponse(res, locked, null);
      const { sha256, rows, periods } = await this.take(runner.manager, locked, res);
      const at = this.clock.now();
      const actor = actorOf(principal);
      const detail = { sha256, rows, periods };
      await this.resets.recordStep(runner.manager, id, 'backup', 'succeeded', detail, actor, at);
      await this.audit.record(runner.manager, {
        at,
        actor,
        action: 'device-reset.backup',
        targetType: 'device-reset',
        targetId: id,
        taxNo: locked.taxNo,
        branchId: locked.branchId,
        detail: { deviceId: locked.deviceId, outcome: 'succeeded', ...detail },
      });
      await this.resets.update(
        runner.manager,
        id,
        { state: stateAfter('backup'), backup: { sha256, rows, periods, at } },
        at,
      );
      if (res.destroyed) throw new Error('the client went away before the backup was complete');
      await runner.commitTransaction();
      this.logger.log({ resetId: id, rows, sha256, by: actor.subject }, 'device reset backup taken');
      res.end();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      if (!started) throw error;
      // The body has begun: it can only be cut off, so the client never takes a partial file for the backup.
      this.logger.warn(
        { resetId: id, err: error instanceof Error ? error.message : String(error) },
        'device reset backup not taken',
      );
      res.destroy();
    } finally {
      await runner.release();
    }
  }

  /** Streams the ledger rows page by page (back-pressure respected), storing each line; returns the file's digest. */
  private async take(m: EntityManager, reset: DeviceResetRow, res: Response) {
    const open = periodOf(this.clock.now());
    const periods = [previousPeriod(open), open];
    const hash = createHash('sha256');
    await this.resets.clearBackup(m, reset.id);
    await write(res, hash, BACKUP_BOM + backupHeaderLine());
    let afterKey: string | null = null;
    let rows = 0;
    for (;;) {
      const page = await this.resets.ledgerPage(m, reset.deviceId, reset.taxNo, periods, afterKey, PAGE);
      if (page.length === 0) break;
      const lines = page.map((invoice) => ({ invoiceKey: invoice.invoiceKey, csvLine: backupLine(invoice) }));
      await this.resets.saveBackupLines(m, reset.id, rows + 1, lines);
      await write(res, hash, lines.map((l) => l.csvLine).join(''));
      rows += page.length;
      afterKey = page[page.length - 1].invoiceKey;
      if (page.length < PAGE) break;
    }
    return { sha256: hash.digest('hex'), rows, periods };
  }

  /** The backup as it was taken. */
  private async replay(reset: DeviceResetRow, res: Response): Promise<void> {
    this.startResponse(res, reset, reset.backupSha256);
    const hash = createHash('sha256');
    try {
      await write(res, hash, BACKUP_BOM + backupHeaderLine());
      let after = 0;
      for (;;) {
        const lines = await this.resets.backupLines(this.dataSource.manager, reset.id, after, PAGE);
        if (lines.length === 0) break;
        await write(res, hash, lines.map((l) => l.csvLine).join(''));
        after = lines[lines.length - 1].lineNo;
      }
      if (hash.digest('hex') !== reset.backupSha256)
        this.logger.error(
          { resetId: reset.id },
          'the stored backup no longer hashes to its recorded SHA-256',
        );
      res.end();
    } catch (error) {
      this.logger.warn(
        { resetId: reset.id, err: error instanceof Error ? error.message : String(error) },
        'device reset backup download broke off',
      );
      res.destroy();
    }
  }

  private startResponse(res: Response, reset: DeviceResetRow, sha256: string | null): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="device-reset-${reset.id}-backup.csv"`);
    if (sha256) res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`);
    res.flushHeaders();
  }
}

async function write(res: Response, hash: Hash, text: string): Promise<void> {
  if (res.destroyed) throw new Error('the client went away');
  const bytes = Buffer.from(text, 'utf8');
  hash.update(bytes);
  if (!res.write(bytes)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
}
