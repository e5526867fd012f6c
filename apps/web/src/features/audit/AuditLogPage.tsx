import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type TAuditAction, type TAuditOutcome } from '@opennrm/domain';
import { Alert, Badge, Button, Group, Pagination, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { endpoints } from '../../api/endpoints.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';

const PAGE_SIZE = 50;
const OUTCOME_COLORS: Record<TAuditOutcome, string> = { success: 'teal', failure: 'orange', denied: 'red' };

/** The start of a local calendar day as an ISO instant; `plusDays` 1 gives the exclusive end. */
function dayStart(date: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

/** The audit log for auditors: who did what to which record and when; never case content. */
export function AuditLogPage() {
  const { t, i18n } = useTranslation();
  const [action, setAction] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const query = {
    page,
    pageSize: PAGE_SIZE,
    action: (action as TAuditAction | null) ?? undefined,
    outcome: (outcome as TAuditOutcome | null) ?? undefined,
    from: dayStart(from),
    to: dayStart(to, 1),
  };
  const log = useQuery({
    queryKey: ['audit', query],
    queryFn: () => endpoints.audit(query),
    placeholderData: keepPreviousData,
  });
  const verify = useMutation({ mutationFn: endpoints.verifyAudit });
  const pages = log.data ? Math.max(1, Math.ceil(log.data.total / PAGE_SIZE)) : 1;
  const onFilter =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setter(v);
      setPage(1);
    };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('audit.title')}</Title>
        <Button variant="light" loading={verify.isPending} onClick={() => verify.mutate()}>
          {t('audit.verify')}
        </Button>
      </Group>
      {verify.data && (
        <Alert
          color={verify.data.ok ? 'teal' : 'red'}
          role="status"
          title={verify.data.ok ? t('audit.verifyOk') : t('audit.verifyBroken')}
        >
          {t('audit.verifyDetails', {
            events: verify.data.events,
            blocks: verify.data.blocks,
            unsealed: verify.data.unsealed,
          })}
          {verify.data.broken && (
            <Text size="sm" mt={4}>
              {t('audit.verifyBrokenAt', {
                id: verify.data.broken.eventId ?? verify.data.broken.blockId ?? '—',
                reason: verify.data.broken.reason,
              })}
            </Text>
          )}
        </Alert>
      )}
      <ErrorAlert error={verify.error} />
      <Group align="flex-end" gap="sm">
        <Select
          label={t('audit.action')}
          clearable
          searchable
          data={AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`auditActions.${a}`) }))}
          value={action}
          onChange={onFilter(setAction)}
          w={{ base: '100%', sm: 280 }}
        />
        <Select
          label={t('audit.outcome')}
          clearable
          data={AUDIT_OUTCOMES.map((o) => ({ value: o, label: t(`auditOutcomes.${o}`) }))}
          value={outcome}
          onChange={onFilter(setOutcome)}
          w={{ base: '100%', sm: 180 }}
        />
        <TextInput
          type="date"
          label={t('audit.from')}
          value={from}
          onChange={(e) => onFilter(setFrom)(e.currentTarget.value)}
          w={{ base: '47%', sm: 170 }}
        />
        <TextInput
          type="date"
          label={t('audit.to')}
          value={to}
          onChange={(e) => onFilter(setTo)(e.currentTarget.value)}
          w={{ base: '47%', sm: 170 }}
        />
      </Group>
      <ErrorAlert error={log.error} />
      {log.data && (
        <>
          <Text size="sm" c="dimmed">
            {t('common.total', { n: log.data.total })}
          </Text>
          <Table.ScrollContainer minWidth={820}>
            <Table striped data-testid="audit-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.at')}</Table.Th>
                  <Table.Th>{t('audit.actor')}</Table.Th>
                  <Table.Th>{t('audit.agency')}</Table.Th>
                  <Table.Th>{t('audit.action')}</Table.Th>
                  <Table.Th>{t('audit.target')}</Table.Th>
                  <Table.Th>{t('audit.ip')}</Table.Th>
                  <Table.Th>{t('audit.outcome')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {log.data.items.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at, i18n.language)}</Table.Td>
                    <Table.Td>{e.actorUsername ?? '—'}</Table.Td>
                    <Table.Td>{e.agencyName ?? '—'}</Table.Td>
                    <Table.Td>{t(`auditActions.${e.action}`)}</Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {e.targetType ? `${e.targetType}:${e.targetId ?? ''}` : '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{e.ip ?? '—'}</Table.Td>
                    <Table.Td>
                      <Badge color={OUTCOME_COLORS[e.outcome]} variant="light">
                        {t(`auditOutcomes.${e.outcome}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {log.data.items.length === 0 && <Text c="dimmed">{t('common.noResults')}</Text>}
          {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} />}
        </>
      )}
    </Stack>
  );
}
