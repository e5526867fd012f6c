import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { TCaseStatus } from '@opennrm/domain';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../components/format.ts';
import { formatDate } from '../cases/options.ts';
import { statusApi } from './statusApi.ts';

const STATUS_COLOR: Record<TCaseStatus['traffickingStatus'], string> = {
  PossibleVictimOfTrafficking: 'yellow',
  ActualVictimOfTrafficking: 'teal',
  NotAVictimOfTrafficking: 'gray',
};

function Line({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={190} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Group>
  );
}

/** The HTCDS status, the preliminary target, the reflection period and protection from removal. */
export function StatusSummary({ s }: { s: TCaseStatus }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as 'en';
  const latest = s.decisions[s.decisions.length - 1];
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Badge color={STATUS_COLOR[s.traffickingStatus]} variant="light" data-testid="trafficking-status">
          {t(`status.htcds.${s.traffickingStatus}`)}
        </Badge>
        {latest && (
          <Badge variant="outline" data-testid="latest-decision">
            {t(`status.outcome.${latest.outcome}`)}
          </Badge>
        )}
        {s.protection.protected && (
          <Badge color="red" variant="filled" data-testid="protection-flag">
            {t('status.protected')}
          </Badge>
        )}
      </Group>
      <Line label={t('status.decisionOrg')}>{s.decisionOrg ? t(`status.org.${s.decisionOrg}`) : '—'}</Line>
      {s.track && (
        <Line label={t('status.preliminaryDue')}>
          <span data-testid="preliminary-due">{formatDateTime(s.track.preliminaryDueAt, lang)}</span>{' '}
          {s.track.preliminaryDecided ? (
            <Badge size="sm" color="teal" variant="light">
              {t('status.decided')}
            </Badge>
          ) : s.track.overdue ? (
            <Badge size="sm" color="red" variant="light">
              {t('status.overdue')}
            </Badge>
          ) : null}{' '}
          · {s.track.agency.name}
        </Line>
      )}
      {s.reflection && (
        <Line label={t('status.reflection.title')}>
          <span data-testid="reflection-end" data-date={s.reflection.plannedEnd}>
            {t('status.reflection.range', {
              start: formatDate(s.reflection.startDate, lang),
              end: formatDate(s.reflection.plannedEnd, lang),
              days: s.reflection.days,
            })}
          </span>
          {s.reflection.endedOn && (
            <div>
              {t('status.reflection.endedEarly', {
                date: formatDate(s.reflection.endedOn, lang),
                reason: t(`status.earlyEndReason.${s.reflection.endReason}`),
              })}
            </div>
          )}
        </Line>
      )}
      <Line label={t('status.protection')}>
        <span data-testid="protection" data-until={s.protection.until ?? ''}>
          {s.protection.protected
            ? s.protection.until
              ? t('status.protectedUntil', { date: formatDate(s.protection.until, lang) })
              : t('status.protectedUntilFinal')
            : t('status.notProtected')}
        </span>
      </Line>
    </Stack>
  );
}

/** On the case page: the status at a glance, with a link to decisions and the reflection period. */
export function StatusPanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const status = useQuery({ queryKey: ['status', caseId], queryFn: () => statusApi.status(caseId) });
  if (!status.data) return null;
  return (
    <Card withBorder padding="md" data-testid="status-panel">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('status.title')}
        </Title>
        <Button component={Link} to={`/cases/${caseId}/status`} variant="light" size="xs">
          {t('status.open')}
        </Button>
      </Group>
      <StatusSummary s={status.data} />
    </Card>
  );
}
