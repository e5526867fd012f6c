import { Alert, Badge, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import type { TCatalogue, TLocale, TScreeningResult } from '@opennrm/domain';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../components/format.ts';

interface Props {
  result: TScreeningResult;
  /** The catalogue version the result was computed with, for indicator texts (ids alone without it). */
  catalogue?: TCatalogue;
  reasons?: string | null;
  screenedBy?: string;
  at?: string;
  title?: string;
}

/**
 * An evaluated screening, explained: each dimension positive or not with the indicators that drove
 * it, the overall outcome and the suggested next step — decision support, never a decision — beside
 * the screener's own judgement, with the catalogue version used.
 */
export function ScreeningResultCard({ result, catalogue, reasons, screenedBy, at, title }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as TLocale;
  const dimension = (id: string) => catalogue?.dimensions.find((d) => d.id === id);
  const indicator = (id: string) => {
    for (const d of catalogue?.dimensions ?? []) {
      const found = d.indicators.find((i) => i.id === id);
      if (found) return found;
    }
    return undefined;
  };
  const profile = catalogue?.profiles.find((p) => p.id === result.profile);
  const child = result.ruleTrace.victimRule.ageGroup === 'child';
  const outcomeColor =
    result.outcome === 'indicators_present' ? 'red' : result.outcome === 'some_indicators' ? 'orange' : 'gray';

  return (
    <Card withBorder padding="md" data-testid="screening-result">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Title order={2} size="h4">
            {title ?? t('screening.result')}
          </Title>
          <Badge variant="outline" color="gray">
            {t('screening.decisionSupport')}
          </Badge>
        </Group>
        <Alert color={outcomeColor} variant="light" data-testid="screening-outcome">
          <Stack gap={4}>
            <Text fw={700}>{t(`enums.screeningOutcome.${result.outcome}`)}</Text>
            <Text size="sm">
              {t('screening.recommendation')}: <b>{t(`enums.screeningRecommendation.${result.recommendation}`)}</b>
            </Text>
            <Text size="sm">{t(`screening.because.${result.ruleTrace.outcomeBecause}`)}</Text>
          </Stack>
        </Alert>
        <Group gap="xs">
          {child && (
            <Badge color="grape" variant="filled" data-testid="result-child">
              {t('cases.treatedAsChild')}
            </Badge>
          )}
          <Badge variant="light">{profile?.label[lang] ?? result.profile}</Badge>
          <Text size="xs" c="dimmed">
            {t('screening.catalogueVersion', { version: result.catalogueVersion })}
          </Text>
        </Group>
        <Text size="sm">{child ? t('screening.childRule') : t('screening.adultRule')}</Text>
        {result.acts.length > 0 && (
          <Text size="sm">
            {t('screening.actsRecorded')}:{' '}
            {result.acts.map((a) => catalogue?.acts.find((x) => x.id === a)?.label[lang] ?? a).join(', ')}
          </Text>
        )}
        <Stack gap={6}>
          {result.dimensions.map((d) => (
            <div key={d.id} data-testid={`dimension-${d.id}`}>
              <Group gap={6} wrap="wrap">
                <Text size="sm" fw={500}>
                  {dimension(d.id)?.label[lang] ?? d.id}
                </Text>
                <Badge color={d.positive ? 'red' : 'gray'} variant={d.positive ? 'filled' : 'light'} tt="none">
                  {d.positive ? t('screening.positive') : t('screening.notPositive')}
                </Badge>
              </Group>
              {d.drivingIndicatorIds.length > 0 && (
                <List size="sm" ml="md" mt={2}>
                  {d.drivingIndicatorIds.map((id) => (
                    <List.Item key={id}>
                      <Text size="sm" span c="dimmed">
                        {id}
                      </Text>{' '}
                      {indicator(id)?.text[lang] ?? ''}
                    </List.Item>
                  ))}
                </List>
              )}
            </div>
          ))}
        </Stack>
        <Text size="sm">
          {t('screening.judgement')}: <b>{t(`enums.screeningRecommendation.${result.judgement}`)}</b>
          {result.judgementDiffers && (
            <Badge ml="xs" color="yellow" variant="light">
              {t('screening.judgementDiffers')}
            </Badge>
          )}
        </Text>
        {reasons && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {t('screening.reasons')}: {reasons}
          </Text>
        )}
        {(screenedBy || at) && (
          <Text size="xs" c="dimmed">
            {[screenedBy, at ? formatDateTime(at, i18n.language) : null].filter(Boolean).join(' · ')}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
