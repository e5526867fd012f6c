import { Card, Center, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { OverCapacityCard } from '../assistance/OverCapacityCard.tsx';
import { formatDate } from '../cases/options.ts';
import { statusApi } from './statusApi.ts';

function Stat({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <Card withBorder padding="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

/** The coordinator's compliance dashboard: aggregates only, no case numbers or personal data. */
export function CompliancePage() {
  const { t, i18n } = useTranslation();
  const report = useQuery({ queryKey: ['compliance'], queryFn: statusApi.compliance });
  if (report.error) return <ErrorAlert error={report.error} onReload={() => void report.refetch()} />;
  if (!report.data)
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  const r = report.data;
  const num = (n: number | null, suffix = '') => (n === null ? '—' : `${n}${suffix}`);
  return (
    <Stack maw={1100}>
      <Title order={1}>{t('compliance.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('compliance.intro')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        <Stat
          label={t('compliance.preliminaryWithinTarget')}
          value={`${num(r.preliminary.withinTargetPct, ' %')} (${r.preliminary.withinTarget}/${r.preliminary.decided})`}
          testId="prelim-within"
        />
        <Stat label={t('compliance.preliminaryMedian')} value={num(r.preliminary.medianDays)} testId="prelim-median" />
        <Stat
          label={t('compliance.preliminaryOverdue')}
          value={r.preliminary.overdueUndecided}
          testId="prelim-overdue"
        />
        <Stat label={t('compliance.finalDecided')} value={r.final.decided} testId="final-decided" />
        <Stat label={t('compliance.finalMedian')} value={num(r.final.medianDays)} testId="final-median" />
        <Stat label={t('compliance.openReflection')} value={r.openReflection.length} testId="open-reflection" />
        <Stat label={t('compliance.belowMinimum')} value={r.reflectionBelowMinimum} testId="below-minimum" />
        <Stat label={t('compliance.overdueReviews')} value={r.overdueReviews} testId="overdue-reviews" />
      </SimpleGrid>
      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="sm">
          {t('compliance.openReflectionTitle')}
        </Title>
        {r.openReflection.length === 0 ? (
          <Text size="sm">{t('compliance.none')}</Text>
        ) : (
          <Table data-testid="open-reflection-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('compliance.agency')}</Table.Th>
                <Table.Th>{t('compliance.plannedEnd')}</Table.Th>
                <Table.Th>{t('compliance.daysLeft')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.openReflection.map((o, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows carry no identifier on purpose (no case reference)
                <Table.Tr key={i}>
                  <Table.Td>{o.agency}</Table.Td>
                  <Table.Td>{formatDate(o.plannedEnd, i18n.language)}</Table.Td>
                  <Table.Td>{o.daysLeft}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <OverCapacityCard />
    </Stack>
  );
}
