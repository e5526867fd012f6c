import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Radio,
  Select,
  Stack,
  Switch,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import {
  type ConsentFact,
  consentedScope,
  consentPurposeFor,
  DEFAULT_REFERRAL_MATRIX,
  hasPurposeConsent,
  matrixAllows,
  REFERRAL_PURPOSES,
  SHARE_SCOPES,
  type TAgency,
  type TConsent,
  type TReferralPurpose,
  type TShareScope,
  type TUrgency,
  URGENCIES,
} from '@opennrm/domain';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { useCan, useUser } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

interface Props {
  caseId: string;
  holderAgencyId: string;
  region: string;
  isChild: boolean;
  consents: readonly TConsent[];
  onClose: () => void;
  onSent: () => void;
}

/**
 * Refer a case: purpose → an agency the NRM matrix allows, that offers the service (or is a
 * competent authority, for formal identification) and serves the region → urgency → what to share,
 * limited to what the person consented to share with that agency. The server checks all of it again.
 */
export function ReferDialog({ caseId, holderAgencyId, region, isChild, consents: records, onClose, onSent }: Props) {
  const consents: ConsentFact[] = records.map((c) => ({
    purpose: c.purpose,
    status: c.status,
    recipientAgencyId: c.recipientAgency?.id ?? null,
    recipientAgencyType: c.recipientAgencyType,
    scope: c.scope,
  }));
  const { t } = useTranslation();
  const user = useUser();
  const phone = useMediaQuery('(max-width: 36em)');
  const canReadRules = useCan('rules.read');
  const [purpose, setPurpose] = useState<TReferralPurpose | null>(null);
  const [regionOnly, setRegionOnly] = useState(true);
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [urgency, setUrgency] = useState<TUrgency>('routine');
  const [scope, setScope] = useState<TShareScope[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  // Referring roles cannot read the stored matrix (rules.read); they filter with the default one
  // and the server, which reads the stored matrix, has the last word.
  const matrix = useQuery({ queryKey: ['referral-matrix'], queryFn: endpoints.referralMatrix, enabled: canReadRules });
  const rules = matrix.data ?? DEFAULT_REFERRAL_MATRIX;
  const service = purpose && purpose !== 'formal_identification' ? purpose : undefined;
  const directory = useQuery({
    queryKey: ['directory', service ?? '', regionOnly ? region : ''],
    queryFn: () => endpoints.directory({ active: 'true', service, servesRegion: regionOnly ? region : undefined }),
    enabled: purpose !== null,
  });
  const candidates = purpose
    ? (directory.data?.items ?? []).filter(
        (a) =>
          a.active &&
          a.id !== holderAgencyId &&
          matrixAllows(rules, user.agency.type, a.type, purpose) &&
          (purpose === 'formal_identification' ? a.isCompetentAuthority : a.services.includes(purpose)),
      )
    : [];
  const agency = candidates.find((a) => a.id === agencyId) ?? null;
  const consentOk = purpose ? hasPurposeConsent(consents, consentPurposeFor(purpose)) : true;
  const allowedScope = agency ? consentedScope(consents, agency) : new Set<TShareScope>();

  const choosePurpose = (p: TReferralPurpose) => {
    setPurpose(p);
    setAgencyId(null);
    setScope([]);
  };
  const chooseAgency = (a: TAgency) => {
    setAgencyId(a.id);
    setScope((s) => s.filter((x) => consentedScope(consents, a).has(x)));
  };

  const submit = async () => {
    if (!purpose || !agency) {
      setFields({ toAgencyId: t('validation.required') });
      return;
    }
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await endpoints.sendReferral(caseId, { toAgencyId: agency.id, purpose, urgency, scope });
      onSent();
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fieldErrors());
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('referrals.referTitle')} size="lg" fullScreen={phone}>
      <Stack data-testid="refer-dialog">
        <Select
          label={t('referrals.purpose')}
          placeholder={t('referrals.choosePurpose')}
          data={REFERRAL_PURPOSES.map((p) => ({ value: p, label: t(`referralPurposes.${p}`) }))}
          value={purpose}
          onChange={(v) => v && choosePurpose(v as TReferralPurpose)}
          allowDeselect={false}
          error={fields.purpose}
        />
        {purpose === 'formal_identification' && (
          <Text size="xs" c="dimmed">
            {t('referrals.competentOnly')}
          </Text>
        )}
        {purpose && !consentOk && (
          <Alert color="orange" variant="light" data-testid="consent-missing">
            {isChild ? t('referrals.consentMissingChild') : t('referrals.consentMissing')}
          </Alert>
        )}
        {purpose && (
          <>
            <Switch
              label={t('referrals.regionOnly', { region: t(`regions.${region}`) })}
              checked={regionOnly}
              onChange={(e) => setRegionOnly(e.currentTarget.checked)}
            />
            <Stack gap={6} role="radiogroup" aria-label={t('referrals.agency')}>
              <Text size="sm" fw={500}>
                {t('referrals.agency')}
              </Text>
              {directory.isSuccess && candidates.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('referrals.noAgencies')}
                </Text>
              )}
              <ErrorAlert error={directory.error} />
              {candidates.map((a) => (
                <AgencyOption key={a.id} agency={a} selected={a.id === agencyId} onSelect={() => chooseAgency(a)} />
              ))}
              {fields.toAgencyId && (
                <Text size="xs" c="red">
                  {fields.toAgencyId}
                </Text>
              )}
            </Stack>
            <Radio.Group
              label={t('referrals.urgencyLabel')}
              value={urgency}
              onChange={(v) => setUrgency(v as TUrgency)}
            >
              <Stack gap={4} mt={4}>
                {URGENCIES.map((u) => (
                  <Radio
                    key={u}
                    value={u}
                    label={t(`referrals.urgency.${u}`)}
                    description={t(`referrals.urgencyHelp.${u}`)}
                  />
                ))}
              </Stack>
            </Radio.Group>
            <Checkbox.Group
              label={t('referrals.scopeLabel')}
              description={t('referrals.scopeHelp')}
              value={scope}
              onChange={(v) => setScope(v as TShareScope[])}
              error={fields.scope}
            >
              <Stack gap={6} mt={6}>
                {SHARE_SCOPES.map((s) => {
                  const allowed = allowedScope.has(s);
                  return (
                    <Checkbox
                      key={s}
                      value={s}
                      disabled={!allowed}
                      label={t(`referrals.scope.${s}`)}
                      description={
                        allowed
                          ? t(`referrals.scopeWhat.${s}`)
                          : agency
                            ? t('referrals.scopeNoConsent', { agency: agency.name })
                            : t('referrals.scopeChooseAgency')
                      }
                      data-scope={s}
                    />
                  );
                })}
              </Stack>
            </Checkbox.Group>
            <Text size="xs" c="dimmed">
              {t('referrals.basicsAlways')}
            </Text>
          </>
        )}
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={busy} disabled={!purpose || !agency || !consentOk} onClick={() => void submit()}>
            {t('referrals.send')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function AgencyOption({ agency, selected, onSelect }: { agency: TAgency; selected: boolean; onSelect: () => void }) {
  const { t } = useTranslation();
  return (
    <UnstyledButton
      role="radio"
      aria-checked={selected}
      aria-label={agency.name}
      onClick={onSelect}
      data-testid="agency-option"
      style={{
        border: `1px solid ${selected ? 'var(--mantine-color-teal-6)' : 'var(--mantine-color-gray-3)'}`,
        background: selected ? 'var(--mantine-color-teal-0)' : undefined,
        borderRadius: 'var(--mantine-radius-sm)',
        padding: '8px 10px',
      }}
    >
      <Group gap={6} wrap="wrap">
        <Text fw={600} size="sm">
          {agency.name}
        </Text>
        <Badge size="xs" variant="light">
          {t(`agencyTypes.${agency.type}`)}
        </Badge>
        {agency.isCompetentAuthority && (
          <Badge size="xs" variant="light" color="grape">
            {t('referrals.competentAuthority')}
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {t('referrals.services')}:{' '}
        {agency.services.length ? agency.services.map((s) => t(`referralPurposes.${s}`)).join(', ') : '—'}
      </Text>
      <Text size="xs" c="dimmed">
        {t('referrals.regionsServed')}:{' '}
        {agency.regionsServed.length
          ? agency.regionsServed.map((r) => t(`regions.${r}`)).join(', ')
          : t('referrals.wholeCountry')}{' '}
        · {t('referrals.capacity')}: {agency.capacity ?? '—'}
      </Text>
    </UnstyledButton>
  );
}
