import {
  ERROR_STATUS,
  type ErrorCode,
  hasTranslation,
  type TErrorBody,
  type TFieldError,
  type TLocale,
  translate,
} from '@opennrm/domain';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** An error the API reports to the caller with a stable code, translated at the edge. */
export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    public readonly params: Record<string, string | number> = {},
    public readonly fields: { path: string; code: string; params?: Record<string, string | number> }[] = [],
  ) {
    super(code);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = () => new AppError('not_found');
export const forbidden = () => new AppError('forbidden');
export const stale = () => new AppError('conflict.stale');

/** A validation error on one or more fields, raised by a service after the schema passed. */
export function fieldError(path: string, code: string, params: Record<string, string | number> = {}): AppError {
  return new AppError('validation', {}, [{ path, code, params }]);
}

interface ZodIssueLike {
  code: string;
  message?: string;
  path: PropertyKey[];
  input?: unknown;
  minimum?: number | bigint;
  maximum?: number | bigint;
}

function zodIssueToField(issue: ZodIssueLike, locale: TLocale, prefix: string): TFieldError {
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  // Custom issues carry their validation key as the message (e.g. 'before_start').
  const custom =
    issue.code === 'custom' && issue.message && hasTranslation('en', `validation.${issue.message}`)
      ? issue.message
      : null;
  const code = custom ?? (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.code);
  // Zod codes without a message of their own (invalid_key, invalid_element…) read as the generic one.
  const key = hasTranslation('en', `validation.${code}`) ? `validation.${code}` : 'validation.custom';
  return {
    path,
    code,
    message: translate(locale, key, { min: Number(issue.minimum ?? 0), max: Number(issue.maximum ?? 0) }),
  };
}

/** Translates any ZodError-like list of issues into field errors. */
export function zodFields(issues: ZodIssueLike[], locale: TLocale, prefix = ''): TFieldError[] {
  return issues.map((i) => zodIssueToField(i, locale, prefix));
}

function body(
  code: ErrorCode,
  locale: TLocale,
  requestId: string,
  params: Record<string, string | number> = {},
  fields?: TFieldError[],
): TErrorBody {
  return {
    error: {
      code,
      message: translate(locale, `errors.${code}`, params),
      ...(fields?.length ? { fields } : {}),
      requestId,
    },
  };
}

/** The value at a path of the request part that failed validation (undefined when absent). */
function valueAt(root: unknown, path: string[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Maps every thrown error to the JSON error body; nothing internal reaches the caller. */
export function errorHandler(err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) {
  const locale = req.locale;
  if (err instanceof AppError) {
    const fields = err.fields.map((f) => ({
      path: f.path,
      code: f.code,
      message: translate(locale, `validation.${f.code}`, f.params ?? {}),
    }));
    return reply.status(err.status).send(body(err.code, locale, req.id, err.params, fields));
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const ctx = (err as unknown as { validationContext?: string }).validationContext ?? '';
    const prefix = ctx === 'body' ? '' : ctx;
    // The provider passes each zod issue as { keyword: code, instancePath, params: the other issue fields }.
    const source = ctx === 'body' ? req.body : ctx === 'querystring' ? req.query : ctx === 'params' ? req.params : {};
    const fields = err.validation.map((v) => {
      const path = String(v.instancePath).split('/').filter(Boolean);
      const params = (v.params ?? {}) as Partial<ZodIssueLike>;
      const issue: ZodIssueLike = {
        ...params,
        code: String(v.keyword || 'custom'),
        message: v.message,
        path,
        input: valueAt(source, path),
      };
      return zodIssueToField(issue, locale, prefix);
    });
    return reply.status(400).send(body('validation', locale, req.id, {}, fields));
  }
  const fe = err as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return reply.status(413).send(body('payload_too_large', locale, req.id));
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return reply.status(415).send(body('unsupported_media_type', locale, req.id));
  if (fe.statusCode === 429) return reply.status(429).send(body('rate_limited', locale, req.id));
  // PostgreSQL refuses text it cannot store (a NUL character, invalid UTF-8): the caller's input, not our fault.
  if (fe.code === '22021' || fe.code === '22P05') return reply.status(400).send(body('bad_request', locale, req.id));
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return reply.status(400).send(body('bad_request', locale, req.id));
  // Log the error type and stack only: messages from drivers can quote parameter values.
  req.log.error(
    { err: { type: err.name, code: fe.code, stack: err.stack?.split('\n').slice(1, 6).join('\n') } },
    'unhandled error',
  );
  return reply.status(500).send(body('internal', locale, req.id));
}

/** The 404 for unknown API routes. */
export function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send(body('not_found', req.locale, req.id));
}
