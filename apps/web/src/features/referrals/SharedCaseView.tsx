import { Alert, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { REFERRAL_ACCESS_STATES, type TLocale, type TSharedCaseDetail } from '@opennrm/domain';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { endpoints } from '../../api/endpoints.ts';
import { ChildBadge, OutcomeBadge, StageBadge } from '../cases/CaseListPage.tsx';
import { countryName, formatDate, languageName } from '../cases/options.ts';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={140} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
        {children}
      </Text>
    </Group>
  );
}

/** A section of the case: its content when shared, else a plain "not shared". */
function Section({ id, title, shown, children }: { id: string; title: string; shown: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md" data-testid={`shared-${id}`}>
      <Title order={2} size="h5" mb="xs">
        {title}
      </Title>
      {shown ? (
        <Stack gap={6}>{children}</Stack>
      ) : (
        <Text size="sm" c="dimmed" fs="italic" data-testid="not-shared">
          {t('referrals.notShared')}
        </Text>
      )}
    </Card>
  );
}

/**
 * A case as an agency with an accepted referral sees it: who shared it, for what and which parts;
 * the basics always; every other section only when shared.
 */
export function SharedCaseView({ c }: { c: TSharedCaseDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as TLocale;
  // The referral that gives access names the purpose (the case detail does not).
  const incoming = useQuery({
    queryKey: ['referrals', 'incoming', 'all'],
    queryFn: () => endpoints.referrals({ box: 'incoming', pageSize: 200 }),
  });
  const referral = incoming.data?.items.find((r) => r.caseId === c.id && REFERRAL_ACCESS_STATES.includes(r.state));
  const scopes = c.access.scope.map((s) => t(`referrals.scope.${s}`));
  const id = c.identity;
  const birth = id
    ? id.birthDate.kind === 'exact'
      ? formatDate(id.birthDate.date, lang)
      : id.birthDate.kind === 'year'
        ? t('cases.birthYear', { year: id.birthDate.year })
        : id.birthDate.kind === 'range'
          ? t('cases.ageRange', {
              min: id.birthDate.minAge,
              max: id.birthDate.maxAge,
              asOf: formatDate(id.birthDate.asOf, lang),
            })
          : t('intake.birthKind.unknown')
    : '';
  const n = c.narrative;

  return (
    <Stack maw={960} data-testid="shared-case">
      <div>
        <Text size="sm">
          <Link to="/referrals">{t('referrals.backToInbox')}</Link>
        </Text>
        <Group gap="xs" mt={4}>
          <Title order={1} data-testid="case-number">
            {t('cases.caseNumber', { number: c.number })}
          </Title>
          <StageBadge stage={c.stage} />
          {c.basics.isChild && <ChildBadge />}
        </Group>
      </div>
      <Alert color="indigo" variant="light" data-testid="shared-banner" title={t('referrals.sharedTitle')}>
        <Text size="sm">
          {referral
            ? t('referrals.sharedBy', {
                agency: c.agency.name,
                purpose: t(`referralPurposes.${referral.purpose}`),
              })
            : t('referrals.sharedByAgency', { agency: c.agency.name })}
        </Text>
        <Text size="sm" fw={600}>
          {t('referrals.youSee', { scopes: scopes.length ? scopes.join(', ') : t('referrals.basicsOnly') })}
        </Text>
        <Text size="xs" c="dimmed" mt={4}>
          {t('referrals.sharedNote')}
        </Text>
      </Alert>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section id="basics" title={t('referrals.basics')} shown>
          <Row label={t('intake.sex')}>{t(`enums.sex.${c.basics.sex}`, { defaultValue: c.basics.sex })}</Row>
          <Row label={t('referrals.ageGroup')}>
            {c.basics.isChild ? t('referrals.ageGroupValue.child') : t('referrals.ageGroupValue.adult')}
            {c.basics.ageBand === 'unknown' ? '' : ` · ${c.basics.ageBand}`}
          </Row>
          <Row label={t('intake.languages')}>
            {c.basics.languages.length ? c.basics.languages.map((l) => languageName(l, lang)).join(', ') : '—'}
            {c.basics.interpreterNeeded ? ` · ${t('intake.interpreterNeeded')}` : ''}
          </Row>
          <Row label={t('cases.region')}>{t(`regions.${c.basics.region}`)}</Row>
        </Section>
        <Section id="identity" title={t('referrals.scope.identity')} shown={id !== null}>
          {id && (
            <>
              <Row label={t('cases.names')}>
                {id.names.length
                  ? id.names.map((nm) => (
                      <div key={`${nm.kind}-${nm.family}-${nm.given}`}>
                        {[nm.family, nm.given, nm.patronymic].filter(Boolean).join(' ')}
                      </div>
                    ))
                  : t('cases.noName')}
              </Row>
              <Row label={t('intake.birth')}>{birth}</Row>
              <Row label={t('intake.citizenships')}>
                {id.citizenships.length ? id.citizenships.map((x) => countryName(x, lang)).join(', ') : '—'}
                {id.stateless ? ` · ${t('intake.stateless')}` : ''}
              </Row>
              <Row label={t('intake.maritalStatus')}>
                {id.maritalStatus ? t(`enums.maritalStatus.${id.maritalStatus}`) : '—'}
              </Row>
              <Row label={t('intake.education')}>{id.education ? t(`enums.education.${id.education}`) : '—'}</Row>
            </>
          )}
        </Section>
        <Section id="contact" title={t('referrals.scope.contact')} shown={c.contact !== null}>
          {c.contact?.contacts.length
            ? c.contact.contacts.map((x) => (
                <Text size="sm" key={`${x.type}-${x.value}`}>
                  {t(`enums.contactType.${x.type}`)}: {x.value}
                </Text>
              ))
            : '—'}
        </Section>
        <Section id="documents" title={t('referrals.scope.documents')} shown={c.documents !== null}>
          {c.documents?.documents.length
            ? c.documents.documents.map((d) => (
                <Text size="sm" key={`${d.type}-${d.number}`}>
                  {t(`enums.documentType.${d.type}`)} {d.number}
                  {d.issuingCountry ? ` · ${countryName(d.issuingCountry, lang)}` : ''}
                </Text>
              ))
            : '—'}
        </Section>
        <Section id="screening" title={t('referrals.scope.screening')} shown={c.screening !== null}>
          {c.screening?.latestOutcome ? <OutcomeBadge outcome={c.screening.latestOutcome} /> : '—'}
        </Section>
        <Section id="medical" title={t('referrals.scope.medical')} shown={c.medical !== null}>
          {c.medical?.healthVulnerabilities.length
            ? c.medical.healthVulnerabilities.map((v) => (
                <Badge key={v} variant="light" color="pink">
                  {t(`enums.vulnerability.${v}`)}
                </Badge>
              ))
            : '—'}
        </Section>
      </SimpleGrid>
      <Section id="narrative" title={t('referrals.scope.narrative')} shown={n !== null}>
        {n && (
          <>
            <Row label={t('intake.encounterDate')}>{formatDate(n.encounterDate, lang)}</Row>
            <Row label={t('intake.encounterPlace')}>{n.encounterPlace || '—'}</Row>
            <Row label={t('intake.exploitationForms')}>
              {n.exploitationForms.length
                ? n.exploitationForms.map((f) => t(`enums.exploitationForm.${f}`)).join(', ')
                : '—'}
            </Row>
            <Row label={t('intake.meansOfControl')}>
              {n.meansOfControl.length ? n.meansOfControl.map((f) => t(`enums.meansOfControl.${f}`)).join(', ') : '—'}
            </Row>
            <Row label={t('intake.countriesOfExploitation')}>
              {n.countriesOfExploitation.length
                ? n.countriesOfExploitation.map((x) => countryName(x, lang)).join(', ')
                : '—'}
            </Row>
            <Row label={t('intake.narrative')}>{n.narrative || '—'}</Row>
          </>
        )}
      </Section>
    </Stack>
  );
}
