import {
  HTCDS_MAX_FILE_BYTES,
  ZExportReport,
  ZHtcdsConfirm,
  ZHtcdsImportResult,
  ZHtcdsPreview,
  ZHtcdsUpload,
} from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import { exportFile, exportReport } from './export.service.ts';
import * as service from './exchange.service.ts';
import { currentCaseNumbers } from '../cases/case-numbers.ts';

const tags = ['data exchange'];
const bodyLimit = Math.ceil((HTCDS_MAX_FILE_BYTES * 4) / 3) + 64 * 1024;

/** HTCDS 2.0 data exchange (issue 7): import of the IOM templates (XLSX) and CSV, previewed then confirmed. */
export async function exchangeRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/exchange/htcds/preview', {
    config: { access: { permission: 'exchange.import' } },
    bodyLimit,
    schema: {
      tags,
      summary: 'Check an HTCDS file (XLSX template or CSV): a per-row, per-column report; nothing is imported',
      body: ZHtcdsUpload,
      response: { 200: ZHtcdsPreview },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.previewImport(deps, ctx, req.body)),
  });

  r.post('/api/exchange/htcds/import', {
    config: { access: { permission: 'exchange.import' } },
    bodyLimit,
    schema: {
      tags,
      summary: 'Import the previewed HTCDS file in one transaction (persons encrypted, duplicate check queued)',
      body: ZHtcdsConfirm,
      response: { 201: ZHtcdsImportResult },
    },
    handler: async (req, reply) => {
      const numbers = await currentCaseNumbers(deps);
      reply.status(201).send(await inTx(deps, req, (ctx) => service.confirmImport(deps, ctx, req.body, numbers)));
    },
  });

  r.get('/api/exchange/htcds/export/report', {
    config: { access: { permission: 'exchange.export' } },
    schema: {
      tags,
      summary: 'What the k-anonymous HTCDS export (k = 11) would generalise and suppress; no records',
      response: { 200: ZExportReport },
    },
    handler: async (req) => inTx(deps, req, (ctx) => exportReport(deps, ctx)),
  });

  r.get('/api/exchange/htcds/export', {
    config: { access: { permission: 'exchange.export' } },
    schema: {
      tags,
      summary: 'De-identified individual records, k-anonymous over the quasi-identifiers (k = 11): CSV or XLSX',
      querystring: z.object({ format: z.enum(['csv', 'xlsx']) }).strict(),
    },
    handler: async (req, reply) => {
      const { file } = await inTx(deps, req, (ctx) => exportFile(deps, ctx, req.query.format));
      const csv = req.query.format === 'csv';
      return reply
        .header(
          'content-type',
          csv ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
        .header('content-disposition', `attachment; filename="opennrm-htcds-export.${req.query.format}"`)
        .header('cache-control', 'no-store')
        .send(file);
    },
  });
}
