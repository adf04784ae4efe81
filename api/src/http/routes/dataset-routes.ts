/**
 * Customer datasets. The upload is streamed: the request is piped straight into the CSV
 * parser, with a byte cap of its own; the JSON body limit does not apply here.
 */
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import { datasetParamsSchema, mappingBodySchema, templateQuerySchema, uploadQuerySchema } from '../../contract';
import { AppError } from '../../errors';
import type { Services } from '../../services';
import { datasetTemplate } from '../../services/dataset-service';
import { identityOf, requireAdmin } from '../auth';
import { parse } from '../validate';

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/octet-stream', 'application/vnd.ms-excel'];

export function datasetRoutes(services: Services): Router {
  const router = Router();

  router.post('/api/datasets', requireAdmin, async (req, res) => {
    const query = parse(uploadQuerySchema, req.query, 'query');
    const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!CSV_TYPES.includes(type)) {
      throw new AppError('VALIDATION_FAILED', `Send the file as text/csv (Content-Type was "${type || 'missing'}").`);
    }
    const declared = Number(req.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > services.datasets.maxUploadBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `${query.fileName} is larger than ${Math.round(services.datasets.maxUploadBytes / 1024 / 1024)} MB; split it or remove unused columns.`);
    }
    const upload = await services.datasets.upload(req, { kind: query.kind, fileName: query.fileName, uploadedBy: identityOf(res).id, skipInvalid: query.skipInvalid });
    res.status(201).json(upload);
  });

  router.get('/api/datasets', requireAdmin, async (_req, res) => {
    res.json({ datasets: await services.datasets.list() });
  });

  // Before /api/datasets/:id, which would take "template.csv" for an id.
  router.get('/api/datasets/template.csv', requireAdmin, (req, res) => {
    const { kind } = parse(templateQuerySchema, req.query, 'query');
    res.type('text/csv; charset=utf-8').attachment(`rapport-${kind}-template.csv`).send(datasetTemplate(kind));
  });

  router.get('/api/datasets/:id/rejected.csv', requireAdmin, async (req, res) => {
    const { id } = parse(datasetParamsSchema, req.params, 'params');
    const { fileName, csv } = await services.datasets.rejectedRows(id);
    res.type('text/csv; charset=utf-8').attachment(fileName);
    await pipeline(csv, res);
  });

  router.get('/api/datasets/:id', requireAdmin, async (req, res) => {
    const { id } = parse(datasetParamsSchema, req.params, 'params');
    res.json(await services.datasets.get(id));
  });

  router.post('/api/datasets/:id/mapping', requireAdmin, async (req, res) => {
    const { id } = parse(datasetParamsSchema, req.params, 'params');
    const body = parse(mappingBodySchema, req.body, 'body');
    const current = await services.config.current();
    res.json(await services.datasets.mappingReport(id, body, current?.config.rules.extraInternalDomains ?? []));
  });

  return router;
}
