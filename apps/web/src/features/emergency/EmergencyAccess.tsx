import { Alert, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { EMERGENCY_ACCESS_HOURS, EMERGENCY_AGENCY_TYPES, type TEmergencyAccess } from '@opennrm/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { useCan, useUser } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatZoned } from '../referrals/referralUi.tsx';

const MIN_REASON = 20;

/** True when the user may ask to open a case in an emergency (police, migration police, health). */
export function useCanRequestEmergency(): boolean {
  const user = useUser();
  return useCan('emergency.access') && EMERGENCY_AGENCY_TYPES.includes(user.agency.type);
}

/**
 * Offered on a case the user cannot see: open it for 4 hours with a written reason. Audited, and
 * the holding agency's supervisors review it.
 */
export function EmergencyRequestCard({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (reason.trim().length < MIN_REASON) {
      setFieldError(t('emergency.reasonTooShort', { min: MIN_REASON }));
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    setError(null);
    try {
      await endpoints.requestEmergencyAccess(caseId, reason.trim());
      await queryClient.invalidateQueries({ queryKey: ['case', caseId] });
    } catch (err) {
      if (err instanceof ApiError) setFieldError(err.fieldErrors().reason);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="md" maw={560} data-testid="emergency-request">
      <Title order={2} size="h4" mb="xs">
        {t('emergency.requestTitle')}
      </Title>
      <Text size="sm">{t('emergency.requestExplain', { hours: EMERGENCY_ACCESS_HOURS })}</Text>
      {!open ? (
        <Button mt="sm" color="red" variant="light" onClick={() => setOpen(true)}>
          {t('emergency.request')}
        </Button>
      ) : (
        <Stack mt="sm">
          <Textarea
            label={t('emergency.reason')}
            description={t('emergency.reasonHelp', { min: MIN_REASON })}
            autosize
            minRows={3}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={fieldError}
            required
          />
          <ErrorAlert error={error} />
          <Group>
            <Button color="red" loading={busy} onClick={() => void submit()}>
              {t('emergency.open', { hours: EMERGENCY_ACCESS_HOURS })}
            </Button>
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}

/** On a case opened in an emergency: until when, and that it is audited and reviewed. */
export function EmergencyBanner({ expiresAt }: { expiresAt: string | null }) {
  const { t, i18n } = useTranslation();
  return (
    <Alert color="red" variant="light" title={t('emergency.bannerTitle')} data-testid="emergency-banner">
      {t('emergency.bannerText', { at: formatZoned(expiresAt, i18n.language) })}
    </Alert>
  );
}

export function ReviewBadge({ g }: { g: TEmergencyAccess }) {
  const { t } = useTranslation();
  if (!g.review)
    return (
      <Badge size="sm" color="orange" variant="light">
        {t('emergency.awaitingReview')}
      </Badge>
    );
  return (
    <Badge size="sm" color={g.review.outcome === 'justified' ? 'teal' : 'red'} variant="light">
      {t(`emergency.outcome.${g.review.outcome}`)} · {g.review.by.displayName}
    </Badge>
  );
}

/** For the holding agency: every emergency opening of the case (shown only when there is one). */
export function EmergencyAccessList({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const grants = useQuery({
    queryKey: ['emergency-access', caseId],
    queryFn: () => endpoints.caseEmergencyAccess(caseId),
  });
  if (!grants.data?.items.length) return null;
  return (
    <Alert color="red" variant="light" title={t('emergency.listTitle')} data-testid="emergency-list">
      <Stack gap={6}>
        {grants.data.items.map((g) => (
          <div key={g.id}>
            <Group gap="xs">
              <Text size="sm" fw={600}>
                {g.user.displayName} ({g.agency.name})
              </Text>
              {g.active && (
                <Badge size="sm" color="red">
                  {t('emergency.activeUntil', { at: formatZoned(g.expiresAt, i18n.language) })}
                </Badge>
              )}
              <ReviewBadge g={g} />
            </Group>
            <Text size="xs" c="dimmed">
              {formatZoned(g.grantedAt, i18n.language)}
              {g.reason ? ` · ${g.reason}` : ''}
            </Text>
          </div>
        ))}
      </Stack>
    </Alert>
  );
}
