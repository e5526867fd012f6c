import { Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import type { TConsent, TReferral } from '@opennrm/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { endpoints } from '../../api/endpoints.ts';
import { useCan } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ReferDialog } from './ReferDialog.tsx';
import { DeadlineLine, formatZoned, ReferralStateBadge, UrgencyBadge } from './referralUi.tsx';

interface Props {
  caseId: string;
  holderAgencyId: string;
  region: string;
  isChild: boolean;
  consents: readonly TConsent[];
}

/** The holder's view of a case's referrals: list, refer, cancel. */
export function ReferralsSection(props: Props) {
  const { caseId } = props;
  const { t } = useTranslation();
  const canSend = useCan('referrals.send');
  const queryClient = useQueryClient();
  const referrals = useQuery({ queryKey: ['case-referrals', caseId], queryFn: () => endpoints.caseReferrals(caseId) });
  const [referring, setReferring] = useState(false);
  const [cancelling, setCancelling] = useState<TReferral | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const refresh = () => {
    for (const key of [['case-referrals', caseId], ['timeline', caseId], ['referrals']])
      void queryClient.invalidateQueries({ queryKey: key });
  };

  const cancel = async () => {
    if (!cancelling) return;
    setBusy(true);
    setError(null);
    try {
      await endpoints.referralAction(cancelling.id, 'cancel');
      setCancelling(null);
      refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="md" data-testid="referrals-section">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('referrals.caseTitle')}
        </Title>
        {canSend && (
          <Button size="sm" onClick={() => setReferring(true)}>
            {t('referrals.refer')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={referrals.error} />
      {referrals.data && referrals.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('referrals.noneForCase')}
        </Text>
      )}
      <Stack gap="xs">
        {referrals.data?.items.map((r) => (
          <CaseReferralRow key={r.id} r={r} onCancel={() => setCancelling(r)} />
        ))}
      </Stack>
      {referring && (
        <ReferDialog
          {...props}
          onClose={() => setReferring(false)}
          onSent={() => {
            setReferring(false);
            refresh();
          }}
        />
      )}
      <Modal opened={cancelling !== null} onClose={() => setCancelling(null)} title={t('referrals.cancelTitle')}>
        <Stack>
          <Text size="sm">{t('referrals.cancelExplain')}</Text>
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setCancelling(null)}>
              {t('referrals.keep')}
            </Button>
            <Button color="red" loading={busy} onClick={() => void cancel()}>
              {t('referrals.cancelConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

function CaseReferralRow({ r, onCancel }: { r: TReferral; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder padding="xs" data-testid="case-referral">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Group gap="xs">
            <ReferralStateBadge state={r.state} />
            <UrgencyBadge urgency={r.urgency} />
            <Text fw={600} size="sm">
              {t(`referralPurposes.${r.purpose}`)}
            </Text>
          </Group>
          <Text size="sm">
            {t('referrals.to')}: {r.to.name}{' '}
            <Text span size="xs" c="dimmed">
              ({t(`agencyTypes.${r.to.type}`)})
            </Text>
          </Text>
          <Text size="xs">
            {t('referrals.shared')}:{' '}
            {r.scope.length ? r.scope.map((s) => t(`referrals.scope.${s}`)).join(', ') : t('referrals.basicsOnly')}
          </Text>
          {r.declineReason && (
            <Text size="xs" c="red">
              {t('referrals.declinedBecause', { reason: t(`referrals.declineReason.${r.declineReason}`) })}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {t('referrals.sentAt', { at: formatZoned(r.sentAt, i18n.language) })}
          </Text>
          <DeadlineLine r={r} />
        </Stack>
        {r.abilities.cancel && (
          <Button size="xs" variant="subtle" color="red" onClick={onCancel}>
            {t('referrals.cancel')}
          </Button>
        )}
      </Group>
    </Card>
  );
}
