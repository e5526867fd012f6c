import type { TAssistance, TAttachment, TNote } from '@opennrm/domain';
import { api } from '../../api/client.ts';

/** The assistance endpoints (issue 6), kept beside their panel. */
export const assistanceApi = {
  read: (caseId: string) => api<TAssistance>('GET', `/api/cases/${caseId}/assistance`),
  assessNeeds: (caseId: string, body: unknown) =>
    api<TAssistance>('POST', `/api/cases/${caseId}/needs-assessments`, { body }),
  planService: (caseId: string, body: unknown) => api<TAssistance>('POST', `/api/cases/${caseId}/services`, { body }),
  updateService: (id: string, body: unknown) => api<TAssistance>('PUT', `/api/services/${id}`, { body }),
  saveChild: (caseId: string, body: unknown) =>
    api<TAssistance>('PUT', `/api/cases/${caseId}/child-protection`, { body }),
  requestReturn: (caseId: string, body: unknown) => api<TAssistance>('POST', `/api/cases/${caseId}/returns`, { body }),
  closureReasons: () =>
    api<{ fixed: string[]; local: { code: string; labels: Record<string, string>; active: boolean }[] }>(
      'GET',
      '/api/closure-reasons',
    ),
  requestClosure: (caseId: string, body: unknown) => api<TAssistance>('POST', `/api/cases/${caseId}/closure`, { body }),
  decideClosure: (id: string, approve: boolean) =>
    api<TAssistance>('POST', `/api/closures/${id}/decision`, { body: { approve } }),
  reopen: (caseId: string, reason: string) =>
    api<TAssistance>('POST', `/api/cases/${caseId}/reopen`, { body: { reason } }),
  notes: (caseId: string) => api<{ items: TNote[] }>('GET', `/api/cases/${caseId}/notes`),
  addNote: (caseId: string, text: string) =>
    api<{ items: TNote[] }>('POST', `/api/cases/${caseId}/notes`, { body: { text } }),
  attachments: (caseId: string) => api<{ items: TAttachment[] }>('GET', `/api/cases/${caseId}/attachments`),
  upload: (caseId: string, body: unknown) =>
    api<{ items: TAttachment[] }>('POST', `/api/cases/${caseId}/attachments`, { body }),
};

/** A file as base64 (without the data-URL prefix). */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
