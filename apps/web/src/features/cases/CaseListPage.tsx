import {
  Badge,
  Button,
  Card,
  Group,
  Pagination,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import {
  CASE_STAGES,
  EXPLOITATION_FORMS,
  KZ_REGIONS,
  type TCaseListQuery,
  type TCaseStage,
  type TCaseSummary,
} from '@opennrm/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import { useCan, useUser } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { countryName, formatDate, useCountryOptions, useEnumOptions } from './options.ts';

const PAGE_SIZE = 25;
type Sort = TCaseListQuery['sort'];

interface Filters {
  q: string;
  stage: string | null;
  region: string | null;
  from: string;
  to: string;
  exploitationForm: string | null;
  ageGroup: string | null;
  citizenship: string | null;
  sort: Sort;
  order: 'asc' | 'desc';
  page: number;
}

const INITIAL: Filters = {
  q: '',
  stage: null,
  region: null,
  from: '',
  to: '',
  exploitationForm: null,
  ageGroup: null,
  citizenship: null,
  sort: 'createdAt',
  order: 'desc',
  page: 1,
};

// The search text may be a name: it lives in this tab's sessionStorage (per user), never in a URL.
const storageKey = (userId: string) => `opennrm.cases.filters.${userId}`;

function loadFilters(userId: string): Filters {
  try {
    const raw = globalThis.sessionStorage?.getItem(storageKey(userId));
    return raw ? { ...INITIAL, ...(JSON.parse(raw) as Partial<Filters>) } : INITIAL;
  } catch {
    return INITIAL;
  }
}

/** The cases the user may see: search by name (any script) or number, filters, sorting, pages. */
export function CaseListPage() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const canCreate = useCan('cases.create');
  const navigate = useNavigate();
  const [f, setF] = useState<Filters>(() => loadFilters(user.id));
  const [q] = useDebouncedValue(f.q.trim(), 350);

  useEffect(() => {
    globalThis.sessionStorage?.setItem(storageKey(user.id), JSON.stringify(f));
  }, [f, user.id]);

  const set = (patch: Partial<Filters>) => setF((old) => ({ ...old, page: 1, ...patch }));

  const query: Partial<TCaseListQuery> = {
    q: q || undefined,
    stage: f.stage ? [f.stage as TCaseStage] : undefined,
    region: (f.region as TCaseListQuery['region']) ?? undefined,
    from: f.from || undefined,
    to: f.to || undefined,
    exploitationForm: (f.exploitationForm as TCaseListQuery['exploitationForm']) ?? undefined,
    ageGroup: (f.ageGroup as TCaseListQuery['ageGroup']) ?? undefined,
    citizenship: (f.citizenship as TCaseListQuery['citizenship']) ?? undefined,
    sort: f.sort,
    order: f.order,
    page: f.page,
    pageSize: PAGE_SIZE,
  };
  const cases = useQuery({
    queryKey: ['cases', query],
    queryFn: () => endpoints.searchCases(query),
    placeholderData: keepPreviousData,
  });
  const pages = cases.data ? Math.max(1, Math.ceil(cases.data.total / PAGE_SIZE)) : 1;

  const stages = useEnumOptions('caseStage', CASE_STAGES);
  const forms = useEnumOptions('exploitationForm', EXPLOITATION_FORMS);
  const countries = useCountryOptions();
  const regions = KZ_REGIONS.map((r) => ({ value: r, label: t(`regions.${r}`) }));
  const filtered = Boolean(
    f.q || f.stage || f.region || f.from || f.to || f.exploitationForm || f.ageGroup || f.citizenship,
  );

  const sortBy = (sort: Sort) =>
    setF((old) => ({
      ...old,
      sort,
      order: old.sort === sort && old.order === 'desc' ? 'asc' : 'desc',
      page: 1,
    }));
  const sortHeader = (sort: Sort, label: string) => (
    <Table.Th key={sort} aria-sort={f.sort === sort ? (f.order === 'asc' ? 'ascending' : 'descending') : undefined}>
      <UnstyledButton onClick={() => sortBy(sort)} fw={700} fz="sm">
        {label} {f.sort === sort ? (f.order === 'asc' ? '▲' : '▼') : ''}
      </UnstyledButton>
    </Table.Th>
  );
  const open = (c: TCaseSummary) => void navigate(`/cases/${c.id}`);
  const citizenships = (c: TCaseSummary) =>
    (c.citizenships ?? []).map((x) => countryName(x, i18n.language)).join(', ') || '—';

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('cases.title')}</Title>
        {canCreate && (
          <Button component={Link} to="/cases/new" size="md">
            {t('cases.new')}
          </Button>
        )}
      </Group>
      <TextInput
        size="md"
        type="search"
        label={t('common.search')}
        placeholder={t('cases.searchPlaceholder')}
        value={f.q}
        autoComplete="off"
        onChange={(e) => set({ q: e.currentTarget.value })}
        maw={520}
      />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
        <Select label={t('cases.stage')} clearable data={stages} value={f.stage} onChange={(v) => set({ stage: v })} />
        <Select
          label={t('cases.region')}
          clearable
          searchable
          data={regions}
          value={f.region}
          onChange={(v) => set({ region: v })}
        />
        <Select
          label={t('cases.exploitationForm')}
          clearable
          data={forms}
          value={f.exploitationForm}
          onChange={(v) => set({ exploitationForm: v })}
        />
        <Select
          label={t('cases.ageGroup')}
          clearable
          data={[
            { value: 'child', label: t('cases.ageGroupChild') },
            { value: 'adult', label: t('cases.ageGroupAdult') },
          ]}
          value={f.ageGroup}
          onChange={(v) => set({ ageGroup: v })}
        />
        <Select
          label={t('cases.citizenship')}
          clearable
          searchable
          data={countries}
          value={f.citizenship}
          onChange={(v) => set({ citizenship: v })}
        />
        <TextInput
          type="date"
          label={t('cases.from')}
          value={f.from}
          onChange={(e) => set({ from: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('cases.to')}
          value={f.to}
          onChange={(e) => set({ to: e.currentTarget.value })}
        />
        {filtered && (
          <Button variant="subtle" onClick={() => setF({ ...INITIAL, sort: f.sort, order: f.order })} mt="auto">
            {t('cases.clearFilters')}
          </Button>
        )}
      </SimpleGrid>
      <ErrorAlert error={cases.error} />
      {cases.data && (
        <>
          <Text size="sm" c="dimmed" data-testid="cases-total">
            {cases.data.totalCapped
              ? t('common.totalMore', { n: cases.data.total })
              : t('common.total', { n: cases.data.total })}
          </Text>
          {cases.data.items.length === 0 && <Text>{t('common.noResults')}</Text>}
          <Table.ScrollContainer minWidth={900} visibleFrom="sm">
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  {sortHeader('number', t('cases.number'))}
                  <Table.Th>{t('cases.name')}</Table.Th>
                  <Table.Th>{t('cases.stage')}</Table.Th>
                  <Table.Th>{t('cases.citizenship')}</Table.Th>
                  {sortHeader('encounterDate', t('cases.encounterDate'))}
                  <Table.Th>{t('cases.region')}</Table.Th>
                  <Table.Th>{t('cases.exploitationForms')}</Table.Th>
                  <Table.Th>{t('cases.latestOutcome')}</Table.Th>
                  {sortHeader('updatedAt', t('cases.updatedAt'))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {cases.data.items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Text component={Link} to={`/cases/${c.id}`} fw={600} size="sm" c="teal.8">
                        {c.number}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <Text size="sm">{c.displayName ?? t('cases.noName')}</Text>
                        {c.isChild && <ChildBadge />}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <StageBadge stage={c.stage} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{citizenships(c)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDate(c.encounterDate, i18n.language)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`regions.${c.encounterRegion}`)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {(c.exploitationForms ?? []).map((x) => t(`enums.exploitationForm.${x}`)).join(', ') || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {c.latestOutcome ? <OutcomeBadge outcome={c.latestOutcome} /> : <Text size="sm">—</Text>}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDate(c.updatedAt, i18n.language)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Stack hiddenFrom="sm" gap="sm">
            <Select
              label={t('cases.sortBy')}
              data={[
                { value: 'createdAt:desc', label: t('cases.sort.newest') },
                { value: 'updatedAt:desc', label: t('cases.sort.updated') },
                { value: 'encounterDate:desc', label: t('cases.sort.encounterDesc') },
                { value: 'encounterDate:asc', label: t('cases.sort.encounterAsc') },
                { value: 'number:asc', label: t('cases.sort.number') },
              ]}
              value={`${f.sort}:${f.order}`}
              allowDeselect={false}
              onChange={(v) => {
                const [sort, order] = (v ?? 'createdAt:desc').split(':') as [Sort, 'asc' | 'desc'];
                setF((old) => ({ ...old, sort, order, page: 1 }));
              }}
            />
            {cases.data.items.map((c) => (
              <Card key={c.id} withBorder padding="md" component="button" onClick={() => open(c)} ta="left">
                <Group justify="space-between" wrap="nowrap" mb={4}>
                  <Text fw={700}>{c.number}</Text>
                  <StageBadge stage={c.stage} />
                </Group>
                <Group gap={4} mb={4}>
                  <Text>{c.displayName ?? t('cases.noName')}</Text>
                  {c.isChild && <ChildBadge />}
                </Group>
                <Text size="sm" c="dimmed">
                  {formatDate(c.encounterDate, i18n.language)} · {t(`regions.${c.encounterRegion}`)} · {citizenships(c)}
                </Text>
                {c.latestOutcome && (
                  <Group mt={6}>
                    <OutcomeBadge outcome={c.latestOutcome} />
                  </Group>
                )}
              </Card>
            ))}
          </Stack>
          {pages > 1 && (
            <Pagination
              total={pages}
              value={f.page}
              onChange={(page) => setF((old) => ({ ...old, page }))}
              aria-label={t('common.pagination')}
            />
          )}
        </>
      )}
    </Stack>
  );
}

export function StageBadge({ stage }: { stage: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color="blue">
      {t(`enums.caseStage.${stage}`)}
    </Badge>
  );
}

export function ChildBadge() {
  const { t } = useTranslation();
  return (
    <Badge variant="filled" color="grape" data-testid="child-badge">
      {t('cases.treatedAsChild')}
    </Badge>
  );
}

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useTranslation();
  const color = outcome === 'indicators_present' ? 'red' : outcome === 'some_indicators' ? 'orange' : 'gray';
  return (
    <Badge variant="light" color={color}>
      {t(`enums.screeningOutcome.${outcome}`)}
    </Badge>
  );
}
