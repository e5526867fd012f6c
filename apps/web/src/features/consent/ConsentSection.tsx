import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  AGENCY_TYPES,
  CONSENT_PURPOSES,
  localDate,
  SHARE_SCOPES,
  type TAgencyType,
  type TConsent,
  type TConsentCreate,
  type TConsentPurpose,
  type TShareScope,
} from '@opennrm/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { useCan } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate, languageName, useLanguageOptions } from '../cases/options.ts';
import { DEPLOYMENT_TIME_ZONE } from '../referrals/referralUi.tsx';

interface Props {
  caseId: string;
  isChild: boolean;
  /** The person's languages, to pre-fill the language the consent was explained in. */
  languages: readonly string[];
}

/** Consent of the person per purpose (CoE Convention art. 12(7)): record, list, withdraw. */
export function ConsentSection({ caseId, isChild, languages }: Props) {
  const { t, i18n } = useTranslation();
  const canRecord = useCan('consent.record');
  const queryClient = useQueryClient();
  const consents = useQuery({ queryKey: ['consents', caseId], queryFn: () => endpoints.caseConsents(caseId) });
  const [recording, setRecording] = useState(false);
  const [withdrawing, setWithdrawing] = useState<TConsent | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const withdraw = async () => {
    if (!withdrawing) return;
    setBusy(true);
    setError(null);
    try {
      await endpoints.withdrawConsent(withdrawing.id);
      setWithdrawing(null);
      for (const key of [['consents', caseId], ['case-referrals', caseId], ['timeline', caseId], ['referrals']])
        void queryClient.invalidateQueries({ queryKey: key });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="md" data-testid="consent-section">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('consent.title')}
        </Title>
        {canRecord && (
          <Button size="sm" variant="light" onClick={() => setRecording(true)}>
            {t('consent.record')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={consents.error} />
      {consents.data && consents.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {isChild ? t('consent.noneChild') : t('consent.none')}
        </Text>
      )}
      <Stack gap="xs">
        {consents.data?.items.map((c) => (
          <Card key={c.id} withBorder padding="xs" data-testid={`consent-${c.purpose}`}>
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={2}>
                <Group gap="xs">
                  <Text fw={600} size="sm">
                    {t(`consent.purpose.${c.purpose}`)}
                  </Text>
                  <ConsentStatusBadge status={c.status} />
                </Group>
                {c.purpose === 'sharing' && (
                  <Text size="sm">
                    {t('consent.recipient')}:{' '}
                    {c.recipientAgency?.name ??
                      (c.recipientAgencyType ? t(`agencyTypes.${c.recipientAgencyType}`) : '—')}{' '}
                    · {c.scope.map((s) => t(`referrals.scope.${s}`)).join(', ')}
                  </Text>
                )}
                {c.status === 'not_required' && (
                  <Text size="sm" c="grape.8">
                    {t('consent.guardianInformedNote')}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {formatDate(c.date, i18n.language)} · {languageName(c.language, i18n.language)}
                  {c.interpreterUsed && c.interpreterLanguage
                    ? ` · ${t('consent.interpreterWith', { language: languageName(c.interpreterLanguage, i18n.language) })}`
                    : ''}{' '}
                  · {c.recordedBy.displayName}
                  {c.withdrawnOn
                    ? ` · ${t('consent.withdrawnOn', { date: formatDate(c.withdrawnOn, i18n.language) })}`
                    : ''}
                </Text>
              </Stack>
              {canRecord && c.status !== 'withdrawn' && (
                <Button size="xs" variant="subtle" color="red" onClick={() => setWithdrawing(c)}>
                  {c.status === 'not_required' ? t('consent.revokeNote') : t('consent.withdraw')}
                </Button>
              )}
            </Group>
          </Card>
        ))}
      </Stack>

      {recording && (
        <RecordConsentModal
          caseId={caseId}
          isChild={isChild}
          languages={languages}
          onClose={() => setRecording(false)}
          onSaved={() => {
            setRecording(false);
            void queryClient.invalidateQueries({ queryKey: ['consents', caseId] });
            void queryClient.invalidateQueries({ queryKey: ['timeline', caseId] });
          }}
        />
      )}

      <Modal
        opened={withdrawing !== null}
        onClose={() => setWithdrawing(null)}
        title={t('consent.withdrawTitle')}
        fullScreen={false}
      >
        <Stack>
          <Text size="sm">{t('consent.withdrawExplain')}</Text>
          {withdrawing && (
            <Text size="sm" fw={600}>
              {t(`consent.purpose.${withdrawing.purpose}`)}
              {withdrawing.recipientAgency ? ` — ${withdrawing.recipientAgency.name}` : ''}
            </Text>
          )}
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setWithdrawing(null)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={busy} onClick={() => void withdraw()}>
              {t('consent.withdrawConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

export function ConsentStatusBadge({ status }: { status: TConsent['status'] }) {
  const { t } = useTranslation();
  const color = status === 'given' ? 'teal' : status === 'not_required' ? 'grape' : 'gray';
  return (
    <Badge size="sm" variant="light" color={color} data-testid="consent-status">
      {t(`consent.status.${status}`)}
    </Badge>
  );
}

const today = () => localDate(new Date(), DEPLOYMENT_TIME_ZONE);

function RecordConsentModal({
  caseId,
  isChild,
  languages,
  onClose,
  onSaved,
}: Props & { onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const languageOptions = useLanguageOptions();
  const agencies = useQuery({ queryKey: ['directory', 'all'], queryFn: () => endpoints.directory({ active: 'true' }) });
  const [purpose, setPurpose] = useState<TConsentPurpose>('referral_identification');
  const [basis, setBasis] = useState<'given' | 'not_required'>('given');
  const [guardianInformed, setGuardianInformed] = useState(false);
  const [recipientKind, setRecipientKind] = useState<'agency' | 'type'>('agency');
  const [recipientAgencyId, setRecipientAgencyId] = useState<string | null>(null);
  const [recipientAgencyType, setRecipientAgencyType] = useState<TAgencyType | null>(null);
  const [scope, setScope] = useState<TShareScope[]>([]);
  const [language, setLanguage] = useState<string | null>(languages[0] ?? null);
  const [interpreterUsed, setInterpreterUsed] = useState(false);
  const [interpreterLanguage, setInterpreterLanguage] = useState<string | null>(null);
  const [date, setDate] = useState(today);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const sharing = purpose === 'sharing';
  // A child needs no consent to be referred (their guardian is informed); sharing is still recorded.
  const childNote = isChild && !sharing && basis === 'not_required';

  const submit = async () => {
    const missing: Record<string, string> = {};
    if (!language) missing.language = t('validation.required');
    if (interpreterUsed && !interpreterLanguage) missing.interpreterLanguage = t('validation.required');
    if (!date) missing.date = t('validation.required');
    if (childNote && !guardianInformed) missing.guardianInformed = t('validation.guardian_must_be_informed');
    if (sharing && recipientKind === 'agency' && !recipientAgencyId)
      missing.recipientAgencyId = t('validation.required');
    if (sharing && recipientKind === 'type' && !recipientAgencyType)
      missing.recipientAgencyId = t('validation.required');
    if (sharing && !scope.length) missing.scope = t('validation.required');
    setFields(missing);
    if (Object.keys(missing).length) return;
    const body: TConsentCreate = {
      purpose,
      basis: childNote ? 'not_required' : 'given',
      guardianInformed: childNote ? guardianInformed : false,
      recipientAgencyId: sharing && recipientKind === 'agency' ? recipientAgencyId : null,
      recipientAgencyType: sharing && recipientKind === 'type' ? recipientAgencyType : null,
      scope: sharing ? scope : [],
      language: language!,
      interpreterUsed,
      interpreterLanguage: interpreterUsed ? interpreterLanguage : null,
      date,
    };
    setBusy(true);
    setError(null);
    try {
      await endpoints.recordConsent(caseId, body);
      onSaved();
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fieldErrors());
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('consent.recordTitle')} size="lg">
      <Stack>
        <Select
          label={t('consent.purposeLabel')}
          data={CONSENT_PURPOSES.map((p) => ({ value: p, label: t(`consent.purpose.${p}`) }))}
          value={purpose}
          onChange={(v) => v && setPurpose(v as TConsentPurpose)}
          allowDeselect={false}
          error={fields.purpose}
        />
        <Text size="xs" c="dimmed">
          {t(`consent.purposeHelp.${purpose}`)}
        </Text>
        {isChild && !sharing && (
          <Radio.Group
            label={t('consent.basisLabel')}
            value={basis}
            onChange={(v) => setBasis(v as 'given' | 'not_required')}
          >
            <Stack gap={6} mt={4}>
              <Radio value="not_required" label={t('consent.basis.not_required')} />
              <Radio value="given" label={t('consent.basis.given')} />
            </Stack>
          </Radio.Group>
        )}
        {childNote && (
          <Checkbox
            label={t('consent.guardianInformed')}
            checked={guardianInformed}
            onChange={(e) => setGuardianInformed(e.currentTarget.checked)}
            error={fields.guardianInformed}
          />
        )}
        {sharing && (
          <>
            <Radio.Group
              label={t('consent.recipient')}
              value={recipientKind}
              onChange={(v) => setRecipientKind(v as 'agency' | 'type')}
            >
              <Group mt={4}>
                <Radio value="agency" label={t('consent.recipientAgency')} />
                <Radio value="type" label={t('consent.recipientType')} />
              </Group>
            </Radio.Group>
            {recipientKind === 'agency' ? (
              <Select
                label={t('consent.recipientAgency')}
                searchable
                data={(agencies.data?.items ?? []).map((a) => ({
                  value: a.id,
                  label: `${a.name} (${t(`agencyTypes.${a.type}`)})`,
                }))}
                value={recipientAgencyId}
                onChange={setRecipientAgencyId}
                error={fields.recipientAgencyId}
              />
            ) : (
              <Select
                label={t('consent.recipientType')}
                data={AGENCY_TYPES.map((a) => ({ value: a, label: t(`agencyTypes.${a}`) }))}
                value={recipientAgencyType}
                onChange={(v) => setRecipientAgencyType(v as TAgencyType | null)}
                error={fields.recipientAgencyId}
              />
            )}
            <Checkbox.Group
              label={t('consent.scopeLabel')}
              value={scope}
              onChange={(v) => setScope(v as TShareScope[])}
              error={fields.scope}
            >
              <SimpleGrid cols={{ base: 1, xs: 2 }} mt={4} spacing={6}>
                {SHARE_SCOPES.map((s) => (
                  <Checkbox key={s} value={s} label={t(`referrals.scope.${s}`)} />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
          </>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <Select
            label={t('consent.language')}
            searchable
            data={languageOptions}
            value={language}
            onChange={setLanguage}
            error={fields.language}
          />
          <TextInput
            type="date"
            label={t('consent.date')}
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
            max={today()}
            error={fields.date}
          />
        </SimpleGrid>
        <Checkbox
          label={t('consent.interpreterUsed')}
          checked={interpreterUsed}
          onChange={(e) => setInterpreterUsed(e.currentTarget.checked)}
        />
        {interpreterUsed && (
          <Select
            label={t('consent.interpreterLanguage')}
            searchable
            data={languageOptions}
            value={interpreterLanguage}
            onChange={setInterpreterLanguage}
            error={fields.interpreterLanguage}
          />
        )}
        {!childNote && (
          <Alert variant="light" color="blue">
            <Text size="sm">{t('consent.informedNote')}</Text>
          </Alert>
        )}
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={busy} onClick={() => void submit()}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
