import {
  Anchor,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  DASHBOARD_TABLES,
  KZ_REGIONS,
  LOCALES,
  type TDashboard,
  type TLocale,
  type TStatIndicator,
} from '@opennrm/domain';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { countryName } from '../cases/options.ts';
import { statisticsApi } from './statisticsApi.ts';

type TTable = TDashboard['tables'][number]['table'];
type Cell = TTable['grandTotal'];

/** What a dashboard table counts: identified persons, or persons by type of service delivered. */
const sourceOf = (id: string) => DASHBOARD_TABLES.find((x) => x.id === id)?.source ?? 'persons';

/** The label of a category of a breakdown dimension, in the interface language. */
function useCategoryLabel() {
  const { t, i18n } = useTranslation();
  return (dim: string, key: string): string => {
    if (key === 'unknown' || key === 'all')
      return key === 'all' ? t('statistics.total') : t('statistics.value.unknown');
    switch (dim) {
      case 'sex':
        return t(`enums.sex.${key}`);
      case 'childAdult':
      case 'crossBorder':
        return t(`statistics.value.${key}`);
      case 'exploitation':
        return t(`statistics.glotip.${key}`);
      case 'agencyType':
        return t(`agencyTypes.${key}`);
      case 'region':
        return t(`regions.${key}`);
      case 'serviceType':
        return t(`assistance.category.${key}`);
      case 'citizenship':
        return countryName(key, i18n.language);
      default:
        return key;
    }
  };
}

function CellText({ v }: { v: Cell }) {
  const { t } = useTranslation();
  if (typeof v === 'number') return <>{v}</>;
  return (
    <Text span c="dimmed" fs="italic" size="sm" data-suppressed="true">
      {t('statistics.suppressed')}
    </Text>
  );
}

function DefinitionLink({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <Anchor href={`#def-${id}`} size="xs" data-testid={`def-link-${id}`}>
      {t('statistics.definition')}
    </Anchor>
  );
}

function BreakdownTable({ id, table }: { id: string; table: TTable }) {
  const { t } = useTranslation();
  const label = useCategoryLabel();
  const total = typeof table.grandTotal === 'number' ? table.grandTotal : null;
  const twoD = table.colDim !== null;
  return (
    <Card withBorder padding="md" data-testid={`stat-table-${id}`}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {t(`statistics.label.${id}`)}
        </Title>
        <DefinitionLink id={id} />
      </Group>
      <Table.ScrollContainer minWidth={twoD ? 640 : 280}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              {twoD ? (
                table.colKeys.map((c) => <Table.Th key={c}>{label(table.colDim!, c)}</Table.Th>)
              ) : (
                <Table.Th>{t('statistics.count')}</Table.Th>
              )}
              {twoD ? (
                <Table.Th>{t('statistics.total')}</Table.Th>
              ) : (
                <Table.Th w="40%">{t('statistics.share')}</Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.rowKeys.map((r, i) => {
              const v = table.rowTotals[i]!;
              return (
                <Table.Tr key={r}>
                  <Table.Td>{label(table.rowDim, r)}</Table.Td>
                  {twoD ? (
                    table.cells[i]!.map((c, j) => (
                      <Table.Td key={table.colKeys[j]}>
                        <CellText v={c} />
                      </Table.Td>
                    ))
                  ) : (
                    <Table.Td>
                      <CellText v={v} />
                    </Table.Td>
                  )}
                  <Table.Td>
                    {twoD ? (
                      <CellText v={v} />
                    ) : typeof v === 'number' && total ? (
                      <Progress value={Math.min(100, (100 * v) / total)} aria-label={label(table.rowDim, r)} />
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              );
            })}
            <Table.Tr>
              <Table.Th>{t('statistics.total')}</Table.Th>
              {twoD &&
                table.colTotals.map((c, j) => (
                  <Table.Th key={table.colKeys[j]}>
                    <CellText v={c} />
                  </Table.Th>
                ))}
              <Table.Th>
                <CellText v={table.grandTotal} />
              </Table.Th>
              {!twoD && <Table.Th />}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function IndicatorCard({ indicator }: { indicator: TStatIndicator }) {
  const { t } = useTranslation();
  const unit = indicator.unit === 'count' ? '' : ` ${t(`statistics.unit.${indicator.unit}`)}`;
  return (
    <Card withBorder padding="md">
      <Text size="sm" c="dimmed">
        {t(`statistics.label.${indicator.id}`)}
      </Text>
      <Text size="xl" fw={700} data-testid={`indicator-${indicator.id}`}>
        {indicator.value === null ? (
          <Tooltip label={t('statistics.suppressed')}>
            <span>—</span>
          </Tooltip>
        ) : (
          `${indicator.value}${unit}`
        )}
      </Text>
      <DefinitionLink id={indicator.id} />
    </Card>
  );
}

/**
 * The national statistics dashboard (coordinator, analyst, oversight): protected aggregates only,
 * filtered by the lattice's period and region; every figure links to its definition.
 */
export function StatisticsPage() {
  const { t, i18n } = useTranslation();
  const [reportLang, setReportLang] = useState<TLocale>(
    (LOCALES as readonly string[]).includes(i18n.language) ? (i18n.language as TLocale) : 'ru',
  );
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(String(thisYear));
  const [quarter, setQuarter] = useState<string>('all');
  const [region, setRegion] = useState<string>('all');
  const period = quarter === 'all' ? year : `${year}-${quarter}`;
  const dash = useQuery({
    queryKey: ['statistics', period, region],
    queryFn: () => statisticsApi.dashboard(period, region),
  });
  const d = dash.data;
  return (
    <Stack maw={1200}>
      <Title order={1}>{t('statistics.title')}</Title>
      <Group align="flex-end">
        <Select
          label={t('statistics.period')}
          data={Array.from({ length: 6 }, (_, i) => String(thisYear - i))}
          value={year}
          onChange={(v) => v && setYear(v)}
          allowDeselect={false}
          w={120}
          data-testid="stat-year"
        />
        <Select
          label={t('statistics.quarter')}
          data={[
            { value: 'all', label: t('statistics.wholeYear') },
            ...['Q1', 'Q2', 'Q3', 'Q4'].map((q) => ({ value: q, label: q })),
          ]}
          value={quarter}
          onChange={(v) => v && setQuarter(v)}
          allowDeselect={false}
          w={150}
          data-testid="stat-quarter"
        />
        <Select
          label={t('statistics.region')}
          data={[
            { value: 'all', label: t('statistics.allRegions') },
            ...KZ_REGIONS.map((r) => ({ value: r, label: t(`regions.${r}`) })),
          ]}
          value={region}
          onChange={(v) => v && setRegion(v)}
          allowDeselect={false}
          searchable
          w={240}
          data-testid="stat-region"
        />
      </Group>
      <Card withBorder padding="sm">
        <Group align="flex-end">
          <Text fw={600}>{t('statistics.reportDownload')}</Text>
          <Select
            label={t('statistics.reportLanguage')}
            data={LOCALES.map((l) => ({ value: l, label: l.toUpperCase() }))}
            value={reportLang}
            onChange={(v) => v && setReportLang(v as TLocale)}
            allowDeselect={false}
            w={120}
            data-testid="report-lang"
          />
          {(['xlsx', 'pdf'] as const).map((format) => (
            <Button
              key={format}
              component="a"
              variant="light"
              href={statisticsApi.reportUrl(period, reportLang, format)}
              download
              data-testid={`report-${format}`}
            >
              {t(format === 'xlsx' ? 'statistics.reportXlsx' : 'statistics.reportPdf')}
            </Button>
          ))}
        </Group>
      </Card>
      <ErrorAlert error={dash.error} onReload={() => void dash.refetch()} />
      {!d && !dash.error && (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {d && (
        <>
          <Text size="sm" c="dimmed" data-testid="stat-protection">
            {t('statistics.intro', { k: d.k, t: d.threshold })} {t('statistics.suppressedHelp', { t: d.threshold })}
          </Text>
          <Title order={2} size="h4">
            {t('statistics.persons')}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {d.tables
              .filter((x) => sourceOf(x.id) === 'persons')
              .map((x) => (
                <BreakdownTable key={x.id} id={x.id} table={x.table} />
              ))}
          </SimpleGrid>
          <Title order={2} size="h4">
            {t('statistics.services')}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {d.tables
              .filter((x) => sourceOf(x.id) === 'services')
              .map((x) => (
                <BreakdownTable key={x.id} id={x.id} table={x.table} />
              ))}
          </SimpleGrid>
          <Title order={2} size="h4">
            {t('statistics.indicators')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {d.indicators.map((i) => (
              <IndicatorCard key={i.id} indicator={i} />
            ))}
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('statistics.protection', { k: d.k, t: d.threshold })}
          </Text>
          <Card withBorder padding="md">
            <Title order={2} size="h4" mb="sm">
              {t('statistics.definitions')}
            </Title>
            <Stack gap="xs">
              {[...d.tables.map((x) => x.id), ...d.indicators.map((i) => i.id)].map((id) => (
                <div key={id} id={`def-${id}`}>
                  <Text size="sm" fw={600}>
                    {t(`statistics.label.${id}`)}
                  </Text>
                  <Text size="sm">{t(`statistics.def.${id}`)}</Text>
                </div>
              ))}
            </Stack>
          </Card>
        </>
      )}
    </Stack>
  );
}
