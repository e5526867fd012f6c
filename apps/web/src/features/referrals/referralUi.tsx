import { Badge, Group, Text } from '@mantine/core';
import type { TLocale, TReferral, TReferralState } from '@opennrm/domain';
import { useTranslation } from 'react-i18next';

/**
 * The deployment's time zone: deadlines are computed in it on the server (OPENNRM_TIME_ZONE,
 * Kazakhstan is on UTC+5 since 2024), so both sides see them in it, wherever their browser is.
 */
export const DEPLOYMENT_TIME_ZONE = 'Asia/Almaty';

const TAGS: Record<TLocale, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/** An instant as a date and time in the deployment's time zone. */
export function formatZoned(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(TAGS[locale as TLocale] ?? locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: DEPLOYMENT_TIME_ZONE,
  }).format(new Date(iso));
}

const STATE_COLORS: Record<TReferralState, string> = {
  sent: 'blue',
  accepted: 'teal',
  declined: 'red',
  in_progress: 'cyan',
  completed: 'green',
  cancelled: 'gray',
  expired: 'orange',
  consent_withdrawn: 'dark',
};

export function ReferralStateBadge({ state }: { state: TReferralState }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATE_COLORS[state]} data-testid="referral-state">
      {t(`referrals.state.${state}`)}
    </Badge>
  );
}

export function UrgencyBadge({ urgency }: { urgency: string }) {
  const { t } = useTranslation();
  const color = urgency === 'emergency' ? 'red' : urgency === 'urgent' ? 'orange' : 'gray';
  return (
    <Badge variant={urgency === 'routine' ? 'outline' : 'filled'} color={color}>
      {t(`referrals.urgency.${urgency}`)}
    </Badge>
  );
}

export function OverdueBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="filled" data-testid="overdue-badge">
      {t('referrals.overdue')}
    </Badge>
  );
}

/** "Answer by <time> (Almaty time)" while the referral awaits an answer, with the overdue flag. */
export function DeadlineLine({ r }: { r: TReferral }) {
  const { t, i18n } = useTranslation();
  const waiting = r.state === 'sent';
  return (
    <Group gap={6} wrap="wrap">
      <Text size="xs" c={r.overdue ? 'red' : 'dimmed'} data-testid="referral-due">
        {waiting
          ? t('referrals.dueAt', { at: formatZoned(r.dueAt, i18n.language) })
          : t('referrals.answeredAt', { at: formatZoned(r.respondedAt ?? r.updatedAt, i18n.language) })}
      </Text>
      {r.overdue && <OverdueBadge />}
    </Group>
  );
}
