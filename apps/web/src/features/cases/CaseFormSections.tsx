import {
  Accordion,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import {
  CONTACT_TYPES,
  DOCUMENT_TYPES,
  EDUCATION_LEVELS,
  EXPLOITATION_FORMS,
  IDENTIFICATION_METHODS,
  KZ_REGIONS,
  LABOUR_INDUSTRIES,
  MARITAL_STATUS,
  MEANS_OF_CONTROL,
  NAME_KINDS,
  NAME_SCRIPTS,
  RECRUITMENT_APPS,
  RECRUITMENT_METHODS,
  RELATIONSHIPS_TO_RECRUITER,
  SEX_EXPLOITATION_TYPES,
  SEX_GENDER,
  VULNERABILITIES,
} from '@opennrm/domain';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RepeatableRows } from './RepeatableRows.tsx';
import { emptyName, formIsChild, scriptOf, type TBirthKind, type TCaseForm, type TNameRow } from './caseForm.ts';
import { useCountryOptions, useEnumOptions, useLanguageOptions } from './options.ts';

export const SECTIONS = ['person', 'documents', 'encounter', 'exploitation', 'narrative'] as const;
export type TSection = (typeof SECTIONS)[number];

/** The section a form path belongs to, to open it when it holds an error. */
export function sectionOf(path: string): TSection {
  if (/^person\.(documents|contacts)/.test(path)) return 'documents';
  if (path.startsWith('person.')) return 'person';
  if (/^case\.(encounter|identificationMethod)/.test(path)) return 'encounter';
  if (path === 'case.narrative') return 'narrative';
  return 'exploitation';
}

interface Props {
  form: TCaseForm;
  onChange: (update: (f: TCaseForm) => TCaseForm) => void;
  /** Translated messages by form path (e.g. `case.encounterDate`, `person.names.0.given`). */
  errors: Record<string, string>;
  opened: TSection[];
  onOpenedChange: (sections: TSection[]) => void;
}

const SIZE = 'md';

/**
 * Every field of a person and case, in five accordion sections (one column on a phone, large touch
 * targets). Only sex and the encounter's date, region and method are required: a potential victim can
 * be recorded in minutes and completed later. Used by the intake form and the case page's edit mode.
 */
export function CaseFormSections({ form, onChange, errors, opened, onOpenedChange }: Props) {
  const { t } = useTranslation();
  const p = form.person;
  const c = form.case;
  const setPerson = (patch: Partial<TCaseForm['person']>) =>
    onChange((f) => ({ ...f, person: { ...f.person, ...patch } }));
  const setCase = (patch: Partial<TCaseForm['case']>) => onChange((f) => ({ ...f, case: { ...f.case, ...patch } }));
  const err = (path: string) => errors[path];
  const sectionHasError = (s: TSection) => Object.keys(errors).some((k) => sectionOf(k) === s);

  const countries = useCountryOptions();
  const languages = useLanguageOptions();
  const sexes = useEnumOptions('sex', SEX_GENDER);
  const marital = useEnumOptions('maritalStatus', MARITAL_STATUS);
  const education = useEnumOptions('education', EDUCATION_LEVELS);
  const vulnerabilities = useEnumOptions('vulnerability', VULNERABILITIES);
  const docTypes = useEnumOptions('documentType', DOCUMENT_TYPES);
  const contactTypes = useEnumOptions('contactType', CONTACT_TYPES);
  const methods = useEnumOptions('identificationMethod', IDENTIFICATION_METHODS);
  const forms = useEnumOptions('exploitationForm', EXPLOITATION_FORMS);
  const industries = useEnumOptions('labourIndustry', LABOUR_INDUSTRIES);
  const sexTypes = useEnumOptions('sexExploitationType', SEX_EXPLOITATION_TYPES);
  const control = useEnumOptions('meansOfControl', MEANS_OF_CONTROL);
  const recruitment = useEnumOptions('recruitmentMethod', RECRUITMENT_METHODS);
  const apps = useEnumOptions('recruitmentApp', RECRUITMENT_APPS);
  const relationships = useEnumOptions('relationshipToRecruiter', RELATIONSHIPS_TO_RECRUITER);
  const regions = KZ_REGIONS.map((r) => ({ value: r, label: t(`regions.${r}`) }));
  const child = formIsChild(form);

  const setName = (i: number, patch: Partial<TNameRow>) =>
    onChange((f) => {
      const names = f.person.names.map((n, j) => {
        if (j !== i) return n;
        const next = { ...n, ...patch };
        // The script follows what is typed until the user picks one.
        if (!next.scriptChosen && ('family' in patch || 'given' in patch || 'patronymic' in patch)) {
          const typed = `${next.family}${next.given}${next.patronymic}`.trim();
          if (typed) next.script = scriptOf(next);
        }
        return next;
      });
      return { ...f, person: { ...f.person, names } };
    });

  const labourShown =
    c.exploitationForms.includes('ForcedLabour') || c.exploitationForms.includes('ChildLabour') || !!c.labourIndustry;
  const sexShown = c.exploitationForms.includes('SexualExploitation') || c.sexExploitationTypes.length > 0;

  return (
    <Accordion
      multiple
      variant="separated"
      value={opened}
      onChange={(v) => onOpenedChange(v as TSection[])}
      chevronPosition="right"
    >
      <Section value="person" title={t('intake.section.person')} error={sectionHasError('person')}>
        <Stack>
          {p.names.map((n, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; inputs are controlled
            <Paper key={i} withBorder p="sm" radius="md" data-testid={`name-row-${i}`}>
              <Stack gap="xs">
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={600} size="sm">
                    {t('intake.nameN', { n: i + 1 })}
                  </Text>
                  {p.names.length > 1 && (
                    <Button
                      variant="subtle"
                      color="red"
                      size="compact-sm"
                      onClick={() => setPerson({ names: p.names.filter((_, j) => j !== i) })}
                    >
                      {t('intake.remove')}
                    </Button>
                  )}
                </Group>
                <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
                  <TextInput
                    size={SIZE}
                    label={t('intake.family')}
                    value={n.family}
                    autoComplete="off"
                    error={err(`person.names.${i}.family`)}
                    onChange={(e) => setName(i, { family: e.currentTarget.value })}
                  />
                  <TextInput
                    size={SIZE}
                    label={t('intake.given')}
                    value={n.given}
                    autoComplete="off"
                    error={err(`person.names.${i}.given`)}
                    onChange={(e) => setName(i, { given: e.currentTarget.value })}
                  />
                  <TextInput
                    size={SIZE}
                    label={t('intake.patronymic')}
                    value={n.patronymic}
                    autoComplete="off"
                    error={err(`person.names.${i}.patronymic`)}
                    onChange={(e) => setName(i, { patronymic: e.currentTarget.value })}
                  />
                </SimpleGrid>
                <SimpleGrid cols={{ base: 2 }} spacing="xs">
                  <Select
                    size={SIZE}
                    label={t('intake.script')}
                    description={n.scriptChosen ? undefined : t('intake.scriptDetected')}
                    data={NAME_SCRIPTS.map((s) => ({ value: s, label: t(`enums.nameScript.${s}`) }))}
                    value={n.script}
                    allowDeselect={false}
                    onChange={(v) => v && setName(i, { script: v as TNameRow['script'], scriptChosen: true })}
                  />
                  <Select
                    size={SIZE}
                    label={t('intake.nameKind')}
                    data={NAME_KINDS.map((s) => ({ value: s, label: t(`enums.nameKind.${s}`) }))}
                    value={n.kind}
                    allowDeselect={false}
                    onChange={(v) => v && setName(i, { kind: v as TNameRow['kind'] })}
                  />
                </SimpleGrid>
              </Stack>
            </Paper>
          ))}
          {p.names.length < 10 && (
            <Button
              variant="light"
              size={SIZE}
              onClick={() => setPerson({ names: [...p.names, { ...emptyName(), kind: 'alias' }] })}
            >
              {t('intake.addName')}
            </Button>
          )}
          <Select
            size={SIZE}
            label={t('intake.sex')}
            required
            data={sexes}
            value={p.sex}
            error={err('person.sex')}
            onChange={(v) => setPerson({ sex: v })}
          />
          <div>
            <Text size="sm" fw={500} mb={4} id="birth-kind-label">
              {t('intake.birth')}
            </Text>
            <SegmentedControl
              fullWidth
              size="sm"
              aria-labelledby="birth-kind-label"
              data={(['unknown', 'exact', 'year', 'range'] as const).map((k) => ({
                value: k,
                label: t(`intake.birthKind.${k}`),
              }))}
              value={p.birthKind}
              onChange={(v) => setPerson({ birthKind: v as TBirthKind })}
            />
          </div>
          {p.birthKind === 'exact' && (
            <TextInput
              size={SIZE}
              type="date"
              label={t('intake.birthDate')}
              value={p.birthDate}
              error={err('person.birthDate')}
              onChange={(e) => setPerson({ birthDate: e.currentTarget.value })}
            />
          )}
          {p.birthKind === 'year' && (
            <TextInput
              size={SIZE}
              inputMode="numeric"
              label={t('intake.birthYear')}
              value={p.birthYear}
              error={err('person.birthYear')}
              onChange={(e) => setPerson({ birthYear: e.currentTarget.value.replace(/\D/g, '').slice(0, 4) })}
            />
          )}
          {p.birthKind === 'range' && (
            <SimpleGrid cols={2} spacing="xs">
              <TextInput
                size={SIZE}
                inputMode="numeric"
                label={t('intake.minAge')}
                value={p.minAge}
                error={err('person.minAge')}
                onChange={(e) => setPerson({ minAge: e.currentTarget.value.replace(/\D/g, '').slice(0, 3) })}
              />
              <TextInput
                size={SIZE}
                inputMode="numeric"
                label={t('intake.maxAge')}
                value={p.maxAge}
                error={err('person.maxAge')}
                onChange={(e) => setPerson({ maxAge: e.currentTarget.value.replace(/\D/g, '').slice(0, 3) })}
              />
            </SimpleGrid>
          )}
          <Checkbox
            size={SIZE}
            label={t('intake.possiblyMinor')}
            description={t('intake.possiblyMinorHelp')}
            checked={p.ageUncertainPossiblyMinor}
            onChange={(e) => setPerson({ ageUncertainPossiblyMinor: e.currentTarget.checked })}
          />
          {child && (
            <Alert color="grape" variant="light" data-testid="child-notice">
              {t('cases.childNotice')}
            </Alert>
          )}
          <MultiSelect
            size={SIZE}
            label={t('intake.citizenships')}
            data={countries}
            searchable
            value={p.citizenships}
            maxValues={5}
            error={err('person.citizenships')}
            onChange={(v) => setPerson({ citizenships: v })}
          />
          <Checkbox
            size={SIZE}
            label={t('intake.stateless')}
            checked={p.stateless}
            onChange={(e) => setPerson({ stateless: e.currentTarget.checked })}
          />
          <MultiSelect
            size={SIZE}
            label={t('intake.languages')}
            data={languages}
            searchable
            value={p.languages}
            maxValues={10}
            error={err('person.languages')}
            onChange={(v) => setPerson({ languages: v })}
          />
          <Checkbox
            size={SIZE}
            label={t('intake.interpreterNeeded')}
            checked={p.interpreterNeeded}
            onChange={(e) => setPerson({ interpreterNeeded: e.currentTarget.checked })}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <Select
              size={SIZE}
              label={t('intake.maritalStatus')}
              data={marital}
              clearable
              value={p.maritalStatus}
              onChange={(v) => setPerson({ maritalStatus: v })}
            />
            <TextInput
              size={SIZE}
              inputMode="numeric"
              label={t('intake.numberOfChildren')}
              value={p.numberOfChildren}
              error={err('person.numberOfChildren')}
              onChange={(e) => setPerson({ numberOfChildren: e.currentTarget.value.replace(/\D/g, '').slice(0, 2) })}
            />
            <Select
              size={SIZE}
              label={t('intake.education')}
              data={education}
              clearable
              value={p.education}
              onChange={(v) => setPerson({ education: v })}
            />
          </SimpleGrid>
          <MultiSelect
            size={SIZE}
            label={t('intake.vulnerabilities')}
            data={vulnerabilities}
            value={p.vulnerabilities}
            onChange={(v) => setPerson({ vulnerabilities: v })}
          />
        </Stack>
      </Section>

      <Section value="documents" title={t('intake.section.documents')} error={sectionHasError('documents')}>
        <Stack>
          <Text fw={600}>{t('intake.documents')}</Text>
          <RepeatableRows
            items={p.documents}
            max={10}
            addLabel={t('intake.addDocument')}
            onAdd={() =>
              setPerson({
                documents: [...p.documents, { type: null, number: '', issuingCountry: null, expiryDate: '' }],
              })
            }
            onRemove={(i) => setPerson({ documents: p.documents.filter((_, j) => j !== i) })}
          >
            {(d, i) => (
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                <Select
                  size={SIZE}
                  label={t('intake.documentType')}
                  data={docTypes}
                  value={d.type}
                  error={err(`person.documents.${i}.type`)}
                  onChange={(v) =>
                    setPerson({ documents: p.documents.map((x, j) => (j === i ? { ...x, type: v } : x)) })
                  }
                />
                <TextInput
                  size={SIZE}
                  label={t('intake.documentNumber')}
                  value={d.number}
                  autoComplete="off"
                  error={err(`person.documents.${i}.number`)}
                  onChange={(e) => {
                    const number = e.currentTarget.value;
                    setPerson({ documents: p.documents.map((x, j) => (j === i ? { ...x, number } : x)) });
                  }}
                />
                <Select
                  size={SIZE}
                  label={t('intake.issuingCountry')}
                  data={countries}
                  searchable
                  clearable
                  value={d.issuingCountry}
                  onChange={(v) =>
                    setPerson({ documents: p.documents.map((x, j) => (j === i ? { ...x, issuingCountry: v } : x)) })
                  }
                />
                <TextInput
                  size={SIZE}
                  type="date"
                  label={t('intake.expiryDate')}
                  value={d.expiryDate}
                  error={err(`person.documents.${i}.expiryDate`)}
                  onChange={(e) => {
                    const expiryDate = e.currentTarget.value;
                    setPerson({ documents: p.documents.map((x, j) => (j === i ? { ...x, expiryDate } : x)) });
                  }}
                />
              </SimpleGrid>
            )}
          </RepeatableRows>
          <Text fw={600}>{t('intake.contacts')}</Text>
          <RepeatableRows
            items={p.contacts}
            max={10}
            addLabel={t('intake.addContact')}
            onAdd={() => setPerson({ contacts: [...p.contacts, { type: null, value: '' }] })}
            onRemove={(i) => setPerson({ contacts: p.contacts.filter((_, j) => j !== i) })}
          >
            {(x, i) => (
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
                <Select
                  size={SIZE}
                  label={t('intake.contactType')}
                  data={contactTypes}
                  value={x.type}
                  error={err(`person.contacts.${i}.type`)}
                  onChange={(v) => setPerson({ contacts: p.contacts.map((y, j) => (j === i ? { ...y, type: v } : y)) })}
                />
                <TextInput
                  size={SIZE}
                  label={t('intake.contactValue')}
                  value={x.value}
                  autoComplete="off"
                  error={err(`person.contacts.${i}.value`)}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setPerson({ contacts: p.contacts.map((y, j) => (j === i ? { ...y, value } : y)) });
                  }}
                />
              </SimpleGrid>
            )}
          </RepeatableRows>
        </Stack>
      </Section>

      <Section value="encounter" title={t('intake.section.encounter')} error={sectionHasError('encounter')}>
        <Stack>
          <TextInput
            size={SIZE}
            type="date"
            required
            label={t('intake.encounterDate')}
            value={c.encounterDate}
            error={err('case.encounterDate')}
            onChange={(e) => setCase({ encounterDate: e.currentTarget.value })}
          />
          <Select
            size={SIZE}
            required
            searchable
            label={t('intake.encounterRegion')}
            data={regions}
            value={c.encounterRegion}
            error={err('case.encounterRegion')}
            onChange={(v) => setCase({ encounterRegion: v })}
          />
          <TextInput
            size={SIZE}
            label={t('intake.encounterPlace')}
            value={c.encounterPlace}
            error={err('case.encounterPlace')}
            onChange={(e) => setCase({ encounterPlace: e.currentTarget.value })}
          />
          <Select
            size={SIZE}
            required
            label={t('intake.identificationMethod')}
            data={methods}
            value={c.identificationMethod}
            error={err('case.identificationMethod')}
            onChange={(v) => setCase({ identificationMethod: v })}
          />
        </Stack>
      </Section>

      <Section value="exploitation" title={t('intake.section.exploitation')} error={sectionHasError('exploitation')}>
        <Stack>
          <MultiSelect
            size={SIZE}
            label={t('intake.exploitationForms')}
            data={forms}
            value={c.exploitationForms}
            onChange={(v) => setCase({ exploitationForms: v })}
          />
          {labourShown && (
            <Select
              size={SIZE}
              label={t('intake.labourIndustry')}
              data={industries}
              searchable
              clearable
              value={c.labourIndustry}
              onChange={(v) => setCase({ labourIndustry: v })}
            />
          )}
          {sexShown && (
            <MultiSelect
              size={SIZE}
              label={t('intake.sexExploitationTypes')}
              data={sexTypes}
              value={c.sexExploitationTypes}
              onChange={(v) => setCase({ sexExploitationTypes: v })}
            />
          )}
          <MultiSelect
            size={SIZE}
            label={t('intake.meansOfControl')}
            data={control}
            value={c.meansOfControl}
            onChange={(v) => setCase({ meansOfControl: v })}
          />
          <MultiSelect
            size={SIZE}
            label={t('intake.recruitmentMethods')}
            data={recruitment}
            value={c.recruitmentMethods}
            onChange={(v) => setCase({ recruitmentMethods: v })}
          />
          <MultiSelect
            size={SIZE}
            label={t('intake.recruitmentApps')}
            data={apps}
            searchable
            value={c.recruitmentApps}
            onChange={(v) => setCase({ recruitmentApps: v })}
          />
          <Select
            size={SIZE}
            label={t('intake.relationshipToRecruiter')}
            data={relationships}
            clearable
            value={c.relationshipToRecruiter}
            onChange={(v) => setCase({ relationshipToRecruiter: v })}
          />
          <MultiSelect
            size={SIZE}
            label={t('intake.countriesOfOrigin')}
            data={countries}
            searchable
            maxValues={10}
            value={c.countriesOfOrigin}
            onChange={(v) => setCase({ countriesOfOrigin: v })}
          />
          <MultiSelect
            size={SIZE}
            label={t('intake.countriesOfTransit')}
            data={countries}
            searchable
            maxValues={20}
            value={c.countriesOfTransit}
            onChange={(v) => setCase({ countriesOfTransit: v })}
          />
          <MultiSelect
            size={SIZE}
            label={t('intake.countriesOfExploitation')}
            data={countries}
            searchable
            maxValues={10}
            value={c.countriesOfExploitation}
            onChange={(v) => setCase({ countriesOfExploitation: v })}
          />
          <SimpleGrid cols={2} spacing="xs">
            <TextInput
              size={SIZE}
              type="date"
              label={t('intake.exploitationStart')}
              value={c.exploitationStart}
              error={err('case.exploitationStart')}
              onChange={(e) => setCase({ exploitationStart: e.currentTarget.value })}
            />
            <TextInput
              size={SIZE}
              type="date"
              label={t('intake.exploitationEnd')}
              value={c.exploitationEnd}
              error={err('case.exploitationEnd')}
              onChange={(e) => setCase({ exploitationEnd: e.currentTarget.value })}
            />
          </SimpleGrid>
        </Stack>
      </Section>

      <Section value="narrative" title={t('intake.section.narrative')} error={sectionHasError('narrative')}>
        <Textarea
          size={SIZE}
          label={t('intake.narrative')}
          description={t('intake.narrativeHelp')}
          autosize
          minRows={5}
          maxRows={20}
          value={c.narrative}
          error={err('case.narrative')}
          onChange={(e) => setCase({ narrative: e.currentTarget.value })}
        />
      </Section>
    </Accordion>
  );
}

function Section({
  value,
  title,
  error,
  children,
}: {
  value: TSection;
  title: string;
  error: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Accordion.Item value={value}>
      <Accordion.Control py="sm">
        <Group gap="xs" wrap="nowrap">
          <Text fw={600}>{title}</Text>
          {error && (
            <Badge color="red" size="sm" variant="light">
              {t('intake.sectionHasErrors')}
            </Badge>
          )}
        </Group>
      </Accordion.Control>
      <Accordion.Panel>{children}</Accordion.Panel>
    </Accordion.Item>
  );
}

/** Client errors (i18n keys) and server field errors (already translated) as messages by form path. */
export function useErrorMessages(clientKeys: Record<string, string>, server: Record<string, string>) {
  const { t } = useTranslation();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(server)) out[k] = v;
  for (const [k, v] of Object.entries(clientKeys)) out[k] ??= t(v);
  return out;
}
