import type { TErrorBody, THtcdsImportResult, THtcdsPreview, TLocale } from '@opennrm/domain';
import { ApiError } from '../../api/client.ts';

/** The file as base64 (the API takes JSON), without the data-URL prefix. */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function csrfToken(): Promise<string> {
  const res = await fetch('/api/auth/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

/**
 * A JSON POST with upload progress (XMLHttpRequest: fetch reports none), for large HTCDS files.
 * `onProgress` gets 0..100 while the file is sent; the server's answer follows.
 */
async function postWithProgress<T>(
  path: string,
  body: unknown,
  locale: TLocale,
  onProgress: (pct: number) => void,
): Promise<T> {
  const token = await csrfToken();
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.setRequestHeader('X-Locale', locale);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', ''));
    xhr.onload = () => {
      const data = xhr.responseText ? (JSON.parse(xhr.responseText) as unknown) : undefined;
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else {
        const err = (data as Partial<TErrorBody> | undefined)?.error;
        reject(new ApiError(xhr.status, err?.code ?? 'internal', err?.message ?? xhr.statusText, err?.fields));
      }
    };
    xhr.send(JSON.stringify(body));
  });
}

export interface TUploadBody {
  fileName: string;
  content: string;
  region: string;
}

/** HTCDS import endpoints (issue 7). The file travels in the body, never in a URL. */
export const exchangeApi = {
  preview: (body: TUploadBody, locale: TLocale, onProgress: (pct: number) => void) =>
    postWithProgress<THtcdsPreview>('/api/exchange/htcds/preview', body, locale, onProgress),
  confirm: (
    body: TUploadBody & { fileHash: string; skipInvalid: boolean },
    locale: TLocale,
    onProgress: (pct: number) => void,
  ) => postWithProgress<THtcdsImportResult>('/api/exchange/htcds/import', body, locale, onProgress),
};
