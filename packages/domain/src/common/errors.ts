/**
 * Stable error codes of the API. Each has a message in every locale under `errors.<code>`.
 * The HTTP status is part of the contract so server and web agree on it.
 */
export const ERROR_STATUS = {
  validation: 400,
  bad_request: 400,
  'auth.required': 401,
  'auth.invalid_credentials': 401,
  'auth.totp_required': 401,
  'auth.totp_invalid': 401,
  'auth.locked': 423,
  'auth.session_expired': 401,
  'auth.mfa_enrollment_required': 403,
  'auth.password_reused': 400,
  'auth.current_password_wrong': 400,
  csrf: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  'conflict.stale': 409,
  'conflict.catalogue_changed': 409,
  'conflict.username_taken': 409,
  'conflict.email_taken': 409,
  'conflict.agency_has_users': 409,
  'conflict.state': 409,
  'conflict.duplicate_referral': 409,
  'conflict.already_visible': 409,
  'conflict.already_reviewed': 409,
  'decision.not_competent': 403,
  'decision.own_review': 403,
  'conflict.decision_order': 409,
  'conflict.review_pending': 409,
  'duplicates.inquiry_invalid': 400,
  'exchange.file_unreadable': 400,
  'exchange.file_changed': 409,
  'exchange.rows_invalid': 422,
  'assistance.consent_missing': 409,
  'assistance.child_return_refused': 409,
  'conflict.case_closed': 409,
  'closure.own_request': 403,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** A field-level validation problem; `code` is a key under `validation.` in the catalogues. */
export interface TFieldError {
  path: string;
  code: string;
  message: string;
}

/** The body of every error response. */
export interface TErrorBody {
  error: { code: ErrorCode; message: string; fields?: TFieldError[]; requestId?: string };
}
