import { Badge, Button, Card, Center, Group, Loader, Modal, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { DECLINE_REASONS, REFERRAL_STATES, type TReferral } from '@opennrm/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import { useCan } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { languageName } from '../cases/options.ts';
import { DeadlineLine, formatZoned, ReferralStateBadge, UrgencyBadge } from './referralUi.tsx';

type Box = 'incoming' | 'outgoing';

/** New incoming referrals (awaiting an answer) of the user's agency; polled for the navigation badge. */
export function useNewIncomingCount(): number {
  const canRespond = useCan('referrals.respond');
  const q = useQuery({
    queryKey: ['referrals', 'incoming', 'sent', 'count'],
    queryFn: () => endpoints.referrals({ box: 'incoming', state: 'sent', pageSize: 1 }),
    enabled: canRespond,
    refetchInterval: 60_000,
  });
  return q.data?.total ?? 0;
}

/** The navigation badge with the number of new incoming referrals. */
export function IncomingReferralsBadge() {
  const { t } = useTranslation();
  const n = useNewIncomingCount();
  if (!n) return null;
  return (
    <Badge
      size="sm"
      color="red"
      circle={n < 10}
      data-testid="incoming-count"
      aria-label={t('referrals.newCount', { n })}
    >
      {n}
    </Badge>
  );
}

/** The agency's referral inbox: incoming and outgoing, filtered by state; answer or cancel. */
export function ReferralsPage() {
  const { t } = useTranslation();
  const canRespond = useCan('referrals.respond');
  const [params, setParams] = useSearchParams();
  const box: Box = params.get('box') === 'outgoing' || !canRespond ? 'outgoing' : 'incoming';
  const state = params.get('state') ?? '';
  const list = useQuery({
    queryKey: ['referrals', box, state],
    queryFn: () => endpoints.referrals({ box, state: state || undefined, pageSize: 100 }),
  });
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) v ? next.set(k, v) : next.delete(k);
    setParams(next, { replace: true });
  };

  return (
    <Stack maw={960}>
      <Title order={1}>{t('referrals.title')}</Title>
      <Tabs value={box} onChange={(v) => v && set({ box: v, state: '' })}>
        <Tabs.List>
          {canRespond && (
            <Tabs.Tab value="incoming" rightSection={<IncomingReferralsBadge />}>
              {t('referrals.incoming')}
            </Tabs.Tab>
          )}
          <Tabs.Tab value="outgoing">{t('referrals.outgoing')}</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <Select
        label={t('referrals.stateFilter')}
        maw={320}
        clearable
        placeholder={t('referrals.allStates')}
        data={REFERRAL_STATES.map((s) => ({ value: s, label: t(`referrals.state.${s}`) }))}
        value={state || null}
        onChange={(v) => set({ state: v ?? '' })}
      />
      <ErrorAlert error={list.error} />
      {list.isPending && (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {list.data && (
        <Text size="sm" c="dimmed" data-testid="referrals-total">
          {t('common.total', { n: list.data.total })}
        </Text>
      )}
      {list.data?.items.length === 0 && <Text c="dimmed">{t('common.noResults')}</Text>}
      <Stack gap="sm">
        {list.data?.items.map((r) => (
          <ReferralCard key={r.id} r={r} box={box} />
        ))}
      </Stack>
    </Stack>
  );
}

export function ReferralCard({ r, box }: { r: TReferral; box: Box }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState<string | null>(null);

  const act = async (action: 'accept' | 'start' | 'complete' | 'cancel' | 'decline') => {
    setBusy(action);
    setError(null);
    try {
      if (action === 'decline') await endpoints.declineReferral(r.id, reason!);
      else await endpoints.referralAction(r.id, action);
      setDeclining(false);
      await queryClient.invalidateQueries({ queryKey: ['referrals'] });
      void queryClient.invalidateQueries({ queryKey: ['notifications'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const info = r.info;
  return (
    <Card withBorder padding="md" data-testid="referral-card">
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start">
          <Group gap="xs">
            <ReferralStateBadge state={r.state} />
            <UrgencyBadge urgency={r.urgency} />
            <Text fw={600}>{t(`referralPurposes.${r.purpose}`)}</Text>
          </Group>
          {r.caseId && r.abilities.openCase && (
            <Button component={Link} to={`/cases/${r.caseId}`} size="xs" variant="light">
              {t('referrals.openCase', { number: r.caseNumber ?? '' })}
            </Button>
          )}
        </Group>
        <Text size="sm">
          {box === 'incoming'
            ? `${t('referrals.from')}: ${r.from.name} (${t(`agencyTypes.${r.from.type}`)})`
            : `${t('referrals.to')}: ${r.to.name} (${t(`agencyTypes.${r.to.type}`)})`}
        </Text>
        <Group gap="xs" data-testid="decision-facts">
          <Badge variant="outline" color={info.ageGroup === 'child' ? 'grape' : 'gray'}>
            {t(`referrals.ageGroupValue.${info.ageGroup}`)}
          </Badge>
          <Badge variant="outline" color="gray">
            {t(`enums.sex.${info.sex}`, { defaultValue: info.sex })}
          </Badge>
          <Badge variant="outline" color="gray">
            {t(`regions.${info.region}`)}
          </Badge>
          {info.languages.map((l) => (
            <Badge key={l} variant="outline" color="blue">
              {languageName(l, i18n.language)}
            </Badge>
          ))}
          {info.interpreterNeeded && (
            <Badge variant="light" color="orange">
              {t('intake.interpreterNeeded')}
            </Badge>
          )}
        </Group>
        {box === 'incoming' && r.state === 'sent' && (
          <Text size="xs" c="dimmed">
            {t('referrals.beforeAccept')}
          </Text>
        )}
        {box === 'outgoing' && (
          <Text size="xs">
            {t('referrals.shared')}:{' '}
            {r.scope.length ? r.scope.map((s) => t(`referrals.scope.${s}`)).join(', ') : t('referrals.basicsOnly')}
          </Text>
        )}
        {r.declineReason && (
          <Text size="xs" c="red">
            {t('referrals.declinedBecause', { reason: t(`referrals.declineReason.${r.declineReason}`) })}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {t('referrals.sentAt', { at: formatZoned(r.sentAt, i18n.language) })}
        </Text>
        <DeadlineLine r={r} />
        <ErrorAlert error={error} />
        <Group gap="xs">
          {r.abilities.accept && (
            <Button size="sm" loading={busy === 'accept'} onClick={() => void act('accept')}>
              {t('referrals.accept')}
            </Button>
          )}
          {r.abilities.decline && (
            <Button size="sm" color="red" variant="light" onClick={() => setDeclining(true)}>
              {t('referrals.decline')}
            </Button>
          )}
          {r.abilities.start && (
            <Button size="sm" loading={busy === 'start'} onClick={() => void act('start')}>
              {t('referrals.start')}
            </Button>
          )}
          {r.abilities.complete && (
            <Button size="sm" color="green" loading={busy === 'complete'} onClick={() => void act('complete')}>
              {t('referrals.complete')}
            </Button>
          )}
          {r.abilities.cancel && (
            <Button
              size="sm"
              color="red"
              variant="subtle"
              loading={busy === 'cancel'}
              onClick={() => void act('cancel')}
            >
              {t('referrals.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
      <Modal opened={declining} onClose={() => setDeclining(false)} title={t('referrals.declineTitle')}>
        <Stack>
          <Select
            label={t('referrals.declineReasonLabel')}
            data={DECLINE_REASONS.map((d) => ({ value: d, label: t(`referrals.declineReason.${d}`) }))}
            value={reason}
            onChange={setReason}
          />
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeclining(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" disabled={!reason} loading={busy === 'decline'} onClick={() => void act('decline')}>
              {t('referrals.decline')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
