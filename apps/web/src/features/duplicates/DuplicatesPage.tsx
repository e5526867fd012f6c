import {
  DUPLICATE_PAIR_STATUSES,
  type TDuplicatePair,
  type TDuplicatePairStatus,
  type TMatchBandFlagged,
} from '@opennrm/domain';
import { Alert, Anchor, Badge, Button, Card, Group, Pagination, Select, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { duplicatesApi } from './duplicatesApi.ts';
import { ScoreExplanation } from './ScoreExplanation.tsx';

const PAGE_SIZE = 25;

/**
 * The review queue of candidate pairs (duplicates.review). A supervisor sees the pairs touching
 * the cases they may see and merges, dismisses or unmerges those whose two cases they see; the
 * coordinator sees every pair with agencies, score and reasons, without cases or names.
 */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const national = !useCan('cases.read');
  const [status, setStatus] = useState<TDuplicatePairStatus>('open');
  const [band, setBand] = useState<TMatchBandFlagged | null>(null);
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const query = { status, band: band ?? undefined, page, pageSize: PAGE_SIZE };
  const pairs = useQuery({
    queryKey: ['duplicatePairs', query],
    queryFn: () => duplicatesApi.pairs(query),
    placeholderData: keepPreviousData,
  });
  const decide = useMutation({
    mutationFn: (v: { id: string; action: 'merge' | 'dismiss' | 'unmerge' }) => duplicatesApi.decide(v.id, v.action),
    onSuccess: (r) => {
      setNotice(t(`duplicates.done.${r.status}`));
      void queryClient.invalidateQueries({ queryKey: ['duplicatePairs'] });
    },
  });
  const scan = useMutation({ mutationFn: duplicatesApi.scan, onSuccess: () => setNotice(t('duplicates.scanQueued')) });
  const pages = pairs.data ? Math.max(1, Math.ceil(pairs.data.total / PAGE_SIZE)) : 1;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('duplicates.title')}</Title>
        <Button variant="light" loading={scan.isPending} onClick={() => scan.mutate()}>
          {t('duplicates.scan')}
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        {national ? t('duplicates.nationalIntro') : t('duplicates.intro')}
      </Text>
      <Group>
        <Select
          label={t('duplicates.filterStatus')}
          data={DUPLICATE_PAIR_STATUSES.map((s) => ({ value: s, label: t(`duplicates.status.${s}`) }))}
          value={status}
          allowDeselect={false}
          onChange={(v) => {
            setStatus((v as TDuplicatePairStatus) ?? 'open');
            setPage(1);
          }}
        />
        <Select
          label={t('duplicates.filterBand')}
          placeholder={t('duplicates.filterAll')}
          clearable
          data={(['likely', 'possible'] as const).map((b) => ({ value: b, label: t(`duplicates.band.${b}`) }))}
          value={band}
          onChange={(v) => {
            setBand(v as TMatchBandFlagged | null);
            setPage(1);
          }}
        />
      </Group>
      {notice && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setNotice(null)} role="status">
          {notice}
        </Alert>
      )}
      <ErrorAlert error={pairs.error ?? decide.error ?? scan.error} />
      {pairs.data?.items.length === 0 && <Text c="dimmed">{t('duplicates.empty')}</Text>}
      {pairs.data?.items.map((p) => (
        <PairCard
          key={p.id}
          pair={p}
          busy={decide.isPending}
          onDecide={(action) => {
            setNotice(null);
            decide.mutate({ id: p.id, action });
          }}
        />
      ))}
      {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} />}
    </Stack>
  );
}

function Side({ label, side }: { label: string; side: TDuplicatePair['a'] }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} style={{ flex: 1 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {side.caseId ? (
        <Anchor component={Link} to={`/cases/${side.caseId}`}>
          {side.number}
          {side.displayName ? ` · ${side.displayName}` : ''}
        </Anchor>
      ) : (
        <Text size="sm" c="dimmed">
          {t('duplicates.noAccess')}
        </Text>
      )}
      <Text size="sm">{t('duplicates.heldBy', { agency: side.agencyName })}</Text>
    </Stack>
  );
}

function PairCard(props: {
  pair: TDuplicatePair;
  busy: boolean;
  onDecide: (action: 'merge' | 'dismiss' | 'unmerge') => void;
}) {
  const { t } = useTranslation();
  const p = props.pair;
  return (
    <Card withBorder data-testid="duplicate-pair">
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <Badge color={p.band === 'likely' ? 'red' : 'orange'}>{t(`duplicates.band.${p.band}`)}</Badge>
            <Badge variant="outline">{t(`duplicates.status.${p.status}`)}</Badge>
            {p.score !== null && <Text size="sm">{t('duplicates.score', { score: p.score.toFixed(2) })}</Text>}
            <Text size="xs" c="dimmed">
              {t('duplicates.pair', { id: p.id.slice(0, 8) })} ·{' '}
              {t('duplicates.configVersion', { version: p.configVersion })}
            </Text>
          </Group>
          <Group gap="xs">
            {p.abilities.merge && (
              <Button size="xs" color="red" loading={props.busy} onClick={() => props.onDecide('merge')}>
                {t('duplicates.merge')}
              </Button>
            )}
            {p.abilities.dismiss && (
              <Button size="xs" variant="light" loading={props.busy} onClick={() => props.onDecide('dismiss')}>
                {t('duplicates.dismiss')}
              </Button>
            )}
            {p.abilities.unmerge && (
              <Button size="xs" variant="light" loading={props.busy} onClick={() => props.onDecide('unmerge')}>
                {t('duplicates.unmerge')}
              </Button>
            )}
          </Group>
        </Group>
        <Group align="flex-start" grow>
          <Side label={t('duplicates.recordA')} side={p.a} />
          <Side label={t('duplicates.recordB')} side={p.b} />
        </Group>
        {p.fields && <ScoreExplanation fields={p.fields} />}
      </Stack>
    </Card>
  );
}
