import { createHash } from 'node:crypto';
import {
  dateInZone,
  htcdsRowToCase,
  readHtcdsTable,
  type TCaseCreate,
  type THtcdsConfirm,
  type THtcdsImportResult,
  type THtcdsPreview,
  type THtcdsUpload,
  type TLocale,
  translate,
} from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError } from '../../http/errors.ts';
import { queueScan } from '../duplicates/duplicates.service.ts';
import { readGrid } from './htcds.file.ts';
import { insertCases } from './import.repository.ts';
import type { TCaseNumbers } from '../cases/case-numbers.ts';

/** The message of a cell problem in the user's language (no cell value for names: only picklist/date values are echoed). */
export function issueMessage(locale: TLocale, column: string, code: string, value?: string): string {
  return translate(locale, `exchange.error.${code}`, { column, value: value ?? '' });
}

interface Checked {
  fileHash: string;
  format: 'xlsx' | 'csv';
  rows: { row: number; input: TCaseCreate | null; issues: { column: string; code: string; value?: string }[] }[];
  ignoredColumns: string[];
  missingColumns: string[];
}

/** Decodes, parses and validates every row; nothing is written. */
export async function checkFile(deps: AppDeps, upload: THtcdsUpload): Promise<Checked> {
  const bytes = Buffer.from(upload.content, 'base64');
  const fileHash = createHash('sha256').update(bytes).digest('hex');
  const read = await readGrid(upload.fileName, bytes);
  const table = read ? readHtcdsTable(read.grid) : null;
  if (!read || !table) throw new AppError('exchange.file_unreadable');
  const today = dateInZone(new Date(), deps.config.timeZone);
  const rows = table.rows.map((r) => {
    const { input, issues } = htcdsRowToCase(r, { region: upload.region, today });
    return { row: r.rowNumber, input, issues };
  });
  return {
    fileHash,
    format: read.format,
    rows,
    ignoredColumns: table.ignoredColumns,
    missingColumns: table.missingColumns,
  };
}

/**
 * Step 1 of an import: the per-row report. The response names rows and columns only, never the
 * people in them; values are echoed only for picklist, country and date problems.
 */
export async function previewImport(deps: AppDeps, ctx: Ctx, upload: THtcdsUpload): Promise<THtcdsPreview> {
  actorOf(ctx);
  const c = await checkFile(deps, upload);
  const valid = c.rows.filter((r) => r.input).length;
  return {
    fileHash: c.fileHash,
    format: c.format,
    total: c.rows.length,
    valid,
    invalid: c.rows.length - valid,
    rows: c.rows.map((r) => ({
      row: r.row,
      ok: r.input !== null,
      errors: r.issues.map((i) => ({
        column: i.column,
        code: i.code,
        message: issueMessage(ctx.locale, i.column, i.code, i.value),
      })),
    })),
    ignoredColumns: c.ignoredColumns,
    missingColumns: c.missingColumns,
  };
}

/**
 * Step 2: the confirmed import, in the request's single transaction — every valid row becomes a
 * case with an encrypted person (exactly like intake: blind indexes, case number, audit event,
 * duplicate pairing queued; written in batches by insertCases), then a full duplicate scan is queued. Refused when the file differs from the one previewed, or when
 * rows are invalid and the user did not choose to skip them.
 */
export async function confirmImport(
  deps: AppDeps,
  ctx: Ctx,
  body: THtcdsConfirm,
  numbers: TCaseNumbers,
): Promise<THtcdsImportResult> {
  const actor = actorOf(ctx);
  const c = await checkFile(deps, body);
  if (c.fileHash !== body.fileHash) throw new AppError('exchange.file_changed');
  const valid = c.rows.filter((r) => r.input);
  const skipped = c.rows.length - valid.length;
  if (skipped > 0 && !body.skipInvalid) throw new AppError('exchange.rows_invalid');
  if (valid.length === 0) throw new AppError('exchange.rows_invalid');
  await insertCases(
    deps,
    ctx.q,
    actor,
    ctx.ip,
    valid.map((r) => r.input!),
    numbers,
  );
  const duplicateScanQueued = await queueScan(ctx.q);
  await appendAudit(ctx.q, {
    actor,
    action: 'exchange.import',
    targetType: 'import',
    ip: ctx.ip,
    details: { format: c.format, rows: c.rows.length, imported: valid.length, skipped, fileHash: c.fileHash },
  });
  return { imported: valid.length, skipped, duplicateScanQueued };
}
