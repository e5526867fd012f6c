import {
  INDICATOR_STRENGTHS,
  LOCALES,
  SCREENING_PROFILES,
  type TIndicator,
  type TLocale,
  type TScreeningProfile,
} from '@opennrm/domain';
import { Card, Group, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Edits one indicator: its texts and help in the three languages and its strength per profile. */
export function IndicatorEditor({
  indicator,
  isNew,
  onChange,
  errors,
}: {
  indicator: TIndicator;
  isNew: boolean;
  onChange: (next: TIndicator) => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation();
  const setText = (field: 'text' | 'help', locale: TLocale, value: string) =>
    onChange({ ...indicator, [field]: { ...indicator[field], [locale]: value } });
  const setStrength = (profile: TScreeningProfile, value: string | null) =>
    onChange({ ...indicator, strength: { ...indicator.strength, [profile]: value ? (value as 'strong') : null } });

  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Group gap="xs" align="end">
          <TextInput
            label={t('catalogueAdmin.indicatorId')}
            value={indicator.id}
            readOnly={!isNew}
            error={errors.id}
            w={120}
            onChange={(e) => onChange({ ...indicator, id: e.currentTarget.value })}
          />
          {indicator.verify && (
            <Text size="xs" c="orange">
              {t('catalogueAdmin.verify')}: {indicator.verify}
            </Text>
          )}
        </Group>
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs">
          {LOCALES.map((l) => (
            <TextInput
              key={l}
              label={`${t('catalogueAdmin.text')} (${l})`}
              value={indicator.text[l]}
              error={errors[`text.${l}`]}
              onChange={(e) => setText('text', l, e.currentTarget.value)}
            />
          ))}
          {LOCALES.map((l) => (
            <Textarea
              key={l}
              autosize
              minRows={1}
              label={`${t('catalogueAdmin.help')} (${l})`}
              value={indicator.help[l]}
              error={errors[`help.${l}`]}
              onChange={(e) => setText('help', l, e.currentTarget.value)}
            />
          ))}
        </SimpleGrid>
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs">
          {SCREENING_PROFILES.map((p) => (
            <Select
              key={p}
              clearable
              label={t(`catalogueAdmin.profiles.${p}`)}
              placeholder={t('catalogueAdmin.notOnList')}
              data={INDICATOR_STRENGTHS.map((s) => ({ value: s, label: t(`catalogueAdmin.strengths.${s}`) }))}
              value={indicator.strength[p] ?? null}
              onChange={(v) => setStrength(p, v)}
            />
          ))}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}
