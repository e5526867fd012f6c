import { Button, Card, Center, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { EXPORT_QUASI_IDENTIFIERS, type TExportReport } from '@opennrm/domain';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

function Figure({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

/** The k-anonymous HTCDS export: what it generalises and suppresses, and the download. */
export function ExportPage() {
  const { t } = useTranslation();
  const report = useQuery({
    queryKey: ['htcds-export-report'],
    queryFn: () => api<TExportReport>('GET', '/api/exchange/htcds/export/report'),
  });
  const r = report.data;
  return (
    <Stack maw={1000}>
      <Title order={1}>{t('exchange.exportTitle')}</Title>
      <Text size="sm" c="dimmed">
        {t('exchange.exportIntro')}
      </Text>
      <ErrorAlert error={report.error} onReload={() => void report.refetch()} />
      {!r && !report.error && (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {r && (
        <>
          <SimpleGrid cols={{ base: 2, md: 5 }}>
            <Figure label={t('exchange.exportK', { k: r.k })} value={r.k} testId="export-k" />
            <Figure label={t('exchange.recordsIn')} value={r.recordsIn} testId="export-in" />
            <Figure
              label={t('exchange.recordsSuppressed')}
              value={`${r.recordsSuppressed} (${Math.round(r.suppressionRate * 1000) / 10} %)`}
              testId="export-suppressed"
            />
            <Figure label={t('exchange.classes')} value={r.equivalenceClasses} testId="export-classes" />
            <Figure label={t('exchange.minClass')} value={r.minClassSize} testId="export-min-class" />
          </SimpleGrid>
          <Card withBorder padding="md">
            <Title order={2} size="h5" mb="xs">
              {t('exchange.generalisation')}
            </Title>
            <Table>
              <Table.Tbody>
                {EXPORT_QUASI_IDENTIFIERS.map((q) => (
                  <Table.Tr key={q}>
                    <Table.Td>{t(`exchange.qi.${q}`)}</Table.Td>
                    <Table.Td data-testid={`export-level-${q}`}>
                      {t('exchange.levelOf', { level: r.levels[q]?.level ?? 0, height: r.levels[q]?.height ?? 0 })}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          <Group>
            {(['xlsx', 'csv'] as const).map((format) => (
              <Button
                key={format}
                component="a"
                variant="light"
                href={`/api/exchange/htcds/export?format=${format}`}
                download
                data-testid={`export-${format}`}
              >
                {t(format === 'xlsx' ? 'exchange.downloadXlsx' : 'exchange.downloadCsv')}
              </Button>
            ))}
          </Group>
        </>
      )}
    </Stack>
  );
}
