import type { TDashboard } from '@opennrm/domain';
import { api } from '../../api/client.ts';

/** The statistics endpoints (issue 7): protected aggregates only. Period and region are lattice values, not personal data. */
export const statisticsApi = {
  dashboard: (period: string, region: string) =>
    api<TDashboard>(
      'GET',
      `/api/statistics/dashboard?period=${encodeURIComponent(period)}&region=${encodeURIComponent(region)}`,
    ),
  /** The national report file (a plain download link: a GET with the session cookie). */
  reportUrl: (period: string, lang: string, format: 'xlsx' | 'pdf') =>
    `/api/statistics/report?period=${encodeURIComponent(period)}&lang=${encodeURIComponent(lang)}&format=${format}`,
};
