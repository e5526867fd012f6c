import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { CALENDAR_DAY_KINDS, type TCalendarDay, type TDuration, type TResponseRules, URGENCIES } from '@opennrm/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { useCan } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate } from '../cases/options.ts';

/** The rules of the mechanism as data: who refers to whom for what, deadlines, holidays. */
export function RulesPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={1000}>
      <Title order={1}>{t('rules.title')}</Title>
      <MatrixCard />
      <DeadlinesCard />
      <CalendarCard />
    </Stack>
  );
}

function MatrixCard() {
  const { t } = useTranslation();
  const matrix = useQuery({ queryKey: ['referral-matrix'], queryFn: endpoints.referralMatrix });
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h4">
        {t('rules.matrix')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('rules.matrixIntro')}
        {matrix.data?.isDefault ? ` ${t('rules.isDefault')}` : ''}
      </Text>
      <ErrorAlert error={matrix.error} />
      {matrix.data && (
        <ScrollArea h={420}>
          <Table striped stickyHeader data-testid="matrix-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rules.fromType')}</Table.Th>
                <Table.Th>{t('rules.toType')}</Table.Th>
                <Table.Th>{t('rules.purposes')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {matrix.data.rules.map((r) => (
                <Table.Tr key={`${r.from}-${r.to}`}>
                  <Table.Td>{t(`agencyTypes.${r.from}`)}</Table.Td>
                  <Table.Td>{t(`agencyTypes.${r.to}`)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {r.purposes.map((p) => (
                        <Badge
                          key={p}
                          size="sm"
                          variant="light"
                          color={p === 'formal_identification' ? 'grape' : 'blue'}
                        >
                          {t(`referralPurposes.${p}`)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Card>
  );
}

function DurationInput({
  value,
  onChange,
  label,
  disabled,
}: {
  value: TDuration;
  onChange: (d: TDuration) => void;
  label: string;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <NumberInput
        label={label}
        min={1}
        max={365}
        w={90}
        value={value.amount}
        disabled={disabled}
        onChange={(v) => onChange({ ...value, amount: Number(v) || 1 })}
      />
      <Select
        w={160}
        aria-label={t('rules.unit')}
        data={(['hours', 'working_days'] as const).map((u) => ({ value: u, label: t(`rules.units.${u}`) }))}
        value={value.unit}
        disabled={disabled}
        allowDeselect={false}
        onChange={(v) => v && onChange({ ...value, unit: v as TDuration['unit'] })}
      />
    </Group>
  );
}

function DeadlinesCard() {
  const { t } = useTranslation();
  const canEdit = useCan('settings.manage');
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ['response-rules'], queryFn: endpoints.responseRules });
  const [draft, setDraft] = useState<TResponseRules | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const rules = draft ?? q.data?.rules;

  const save = async () => {
    if (!draft || !q.data) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await endpoints.saveResponseRules({ rules: draft, version: q.data.version });
      queryClient.setQueryData(['response-rules'], saved);
      setDraft(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="md">
      <Title order={2} size="h4">
        {t('rules.deadlines')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('rules.deadlinesIntro')}
      </Text>
      <ErrorAlert error={q.error ?? error} onReload={() => void q.refetch().then(() => setDraft(null))} />
      {rules && (
        <Stack gap="sm" data-testid="deadlines">
          {URGENCIES.map((u) => (
            <Group key={u} align="flex-end" gap="lg">
              <Text w={120} fw={600} size="sm">
                {t(`referrals.urgency.${u}`)}
              </Text>
              <DurationInput
                label={t('rules.due')}
                value={rules[u].due}
                disabled={!canEdit}
                onChange={(d) => setDraft({ ...rules, [u]: { ...rules[u], due: d } })}
              />
              <DurationInput
                label={t('rules.expire')}
                value={rules[u].expire}
                disabled={!canEdit}
                onChange={(d) => setDraft({ ...rules, [u]: { ...rules[u], expire: d } })}
              />
            </Group>
          ))}
          {canEdit && draft && (
            <Group>
              <Button loading={busy} onClick={() => void save()}>
                {t('common.save')}
              </Button>
              <Button variant="default" onClick={() => setDraft(null)}>
                {t('common.cancel')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Card>
  );
}

function CalendarCard() {
  const { t, i18n } = useTranslation();
  const canEdit = useCan('settings.manage');
  const queryClient = useQueryClient();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const q = useQuery({ queryKey: ['calendar', year], queryFn: () => endpoints.calendar(year) });
  const [draft, setDraft] = useState<TCalendarDay[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const days = draft ?? q.data?.days ?? [];
  const fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};

  const change = (i: number, patch: Partial<TCalendarDay>) =>
    setDraft(days.map((d, j) => (j === i ? { ...d, ...patch } : d)));

  const save = async () => {
    if (!draft || !q.data) return;
    setBusy(true);
    setError(null);
    try {
      const sorted = [...draft].sort((a, b) => a.date.localeCompare(b.date));
      const saved = await endpoints.saveCalendar(year, { days: sorted, version: q.data.version });
      queryClient.setQueryData(['calendar', year], saved);
      setDraft(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} size="h4">
            {t('rules.calendar')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('rules.calendarIntro')}
          </Text>
        </div>
        <Select
          label={t('rules.year')}
          w={120}
          allowDeselect={false}
          data={[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map(String)}
          value={String(year)}
          onChange={(v) => {
            if (!v) return;
            setYear(Number(v));
            setDraft(null);
          }}
        />
      </Group>
      {q.data && !q.data.configured && (
        <Text size="sm" c="orange.8" mt="xs">
          {t('rules.calendarDefaults')}
        </Text>
      )}
      <ErrorAlert error={q.error ?? error} onReload={() => void q.refetch().then(() => setDraft(null))} />
      <ScrollArea mt="sm">
        <Table miw={560} data-testid="calendar-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('rules.date')}</Table.Th>
              <Table.Th>{t('rules.kind')}</Table.Th>
              <Table.Th>{t('rules.label')}</Table.Th>
              {canEdit && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {days.map((d, i) =>
              canEdit ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; inputs are controlled
                <Table.Tr key={i}>
                  <Table.Td>
                    <TextInput
                      type="date"
                      aria-label={t('rules.date')}
                      value={d.date}
                      onChange={(e) => change(i, { date: e.currentTarget.value })}
                      error={fieldErrors[`days.${i}.date`]}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('rules.kind')}
                      allowDeselect={false}
                      data={CALENDAR_DAY_KINDS.map((k) => ({ value: k, label: t(`rules.kinds.${k}`) }))}
                      value={d.kind}
                      onChange={(v) => v && change(i, { kind: v as TCalendarDay['kind'] })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={t('rules.label')}
                      value={d.label}
                      onChange={(e) => change(i, { label: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('rules.removeDay')}
                      onClick={() => setDraft(days.filter((_, j) => j !== i))}
                    >
                      ×
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ) : (
                <Table.Tr key={d.date}>
                  <Table.Td>{formatDate(d.date, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={d.kind === 'holiday' ? 'red' : 'blue'}>
                      {t(`rules.kinds.${d.kind}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{d.label}</Table.Td>
                </Table.Tr>
              ),
            )}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {canEdit && (
        <Group mt="sm">
          <Button
            variant="light"
            onClick={() => setDraft([...days, { date: `${year}-01-01`, kind: 'holiday', label: '' }])}
          >
            {t('rules.addDay')}
          </Button>
          {draft && (
            <>
              <Button loading={busy} onClick={() => void save()}>
                {t('common.save')}
              </Button>
              <Button variant="default" onClick={() => setDraft(null)}>
                {t('common.cancel')}
              </Button>
            </>
          )}
        </Group>
      )}
    </Card>
  );
}
