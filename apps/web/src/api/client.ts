import type { ErrorCode, TErrorBody, TFieldError, TLocale } from '@opennrm/domain';

/** An API error with the server's stable code and its already translated message. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: ErrorCode | 'network',
    message: string,
    public readonly fields: TFieldError[] = [],
  ) {
    super(message);
  }

  /** Field errors keyed by path, ready to show under form inputs. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.fields) out[f.path] ??= f.message;
    return out;
  }
}

/** What the client tells the app about when a call shows the session is gone or needs 2FA enrolment. */
export type AuthEvent = { kind: 'unauthenticated'; code: 'auth.required' | 'auth.session_expired' } | { kind: 'mfa' };

interface ClientState {
  csrfToken: string;
  locale: TLocale;
  onAuthEvent: (event: AuthEvent) => void;
}

const state: ClientState = { csrfToken: '', locale: 'en', onAuthEvent: () => {} };

/** The CSRF token of the current session (changes at sign-in). */
export function setCsrfToken(token: string): void {
  state.csrfToken = token;
}

/** The interface language, sent as X-Locale so server messages come translated. */
export function setApiLocale(locale: TLocale): void {
  state.locale = locale;
}

/** Registers the single place that reacts to an ended session or a required 2FA enrolment. */
export function setAuthEventHandler(handler: (event: AuthEvent) => void): void {
  state.onAuthEvent = handler;
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Paths whose 401 is an expected answer, not a lost session. */
const AUTH_PATHS = ['/api/auth/login', '/api/auth/session'];

/**
 * Calls the API: JSON in and out, CSRF and locale headers, errors as ApiError. A lost session or a
 * required 2FA enrolment is also reported to the app through the registered handler.
 */
export async function api<T>(
  method: string,
  path: string,
  opts: { body?: unknown; query?: Query; keepalive?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Locale': state.locale };
  if (method !== 'GET') headers['X-CSRF-Token'] = state.csrfToken;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      // Lets a last autosave finish while the tab closes.
      keepalive: opts.keepalive,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (res.ok) return data as T;
  const err = (data as Partial<TErrorBody> | undefined)?.error;
  const apiError = new ApiError(res.status, err?.code ?? 'internal', err?.message ?? res.statusText, err?.fields);
  if (
    res.status === 401 &&
    (apiError.code === 'auth.required' || apiError.code === 'auth.session_expired') &&
    !AUTH_PATHS.includes(path)
  )
    state.onAuthEvent({ kind: 'unauthenticated', code: apiError.code });
  if (res.status === 403 && apiError.code === 'auth.mfa_enrollment_required') state.onAuthEvent({ kind: 'mfa' });
  throw apiError;
}
