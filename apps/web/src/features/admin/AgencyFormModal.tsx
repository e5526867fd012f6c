import {
  AGENCY_TYPES,
  DEFAULT_COMPETENT_AGENCY_TYPES,
  KZ_REGIONS,
  type TAgency,
  type TAgencyInput,
  type TAgencyType,
  type TRegion,
} from '@opennrm/domain';
import { Button, Group, Modal, Select, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { endpoints } from '../../api/endpoints.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

interface Form {
  name: string;
  type: TAgencyType | null;
  region: TRegion | null;
  isCompetentAuthority: boolean;
  contactEmail: string;
  contactPhone: string;
  address: string;
  active: boolean;
}

function toForm(a: TAgency | null): Form {
  return {
    name: a?.name ?? '',
    type: a?.type ?? null,
    region: a?.region ?? null,
    isCompetentAuthority: a?.isCompetentAuthority ?? false,
    contactEmail: a?.contactEmail ?? '',
    contactPhone: a?.contactPhone ?? '',
    address: a?.address ?? '',
    active: a?.active ?? true,
  };
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

/** Create or edit an agency; a stale edit (409) offers to reload the current record. */
export function AgencyFormModal({ agency, onClose }: { agency: TAgency | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [record, setRecord] = useState(agency);
  const [form, setForm] = useState<Form>(() => toForm(agency));
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const reload = async () => {
    const { items } = await queryClient.fetchQuery({
      queryKey: ['agencies'],
      queryFn: endpoints.agencies,
      staleTime: 0,
    });
    const fresh = items.find((a) => a.id === record?.id) ?? null;
    setRecord(fresh);
    setForm(toForm(fresh));
    setError(null);
    setFields({});
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    const body = {
      name: form.name,
      type: form.type,
      region: form.region,
      isCompetentAuthority: form.isCompetentAuthority,
      contactEmail: orNull(form.contactEmail),
      contactPhone: orNull(form.contactPhone),
      address: orNull(form.address),
    } as TAgencyInput;
    try {
      if (record) await endpoints.updateAgency(record.id, { ...body, active: form.active, version: record.version });
      else await endpoints.createAgency(body);
      await queryClient.invalidateQueries({ queryKey: ['agencies'] });
      notifications.show({ color: 'teal', message: t('common.saved') });
      onClose();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setFields(err.fieldErrors());
    } finally {
      setBusy(false);
    }
  };

  const typeOptions = AGENCY_TYPES.map((v) => ({ value: v, label: t(`agencyTypes.${v}`) }));
  const regionOptions = KZ_REGIONS.map((v) => ({ value: v, label: t(`regions.${v}`) }));

  return (
    <Modal
      opened
      onClose={onClose}
      title={record ? t('admin.agencies.edit') : t('admin.agencies.create')}
      size="lg"
      fullScreen={false}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} onReload={() => void reload()} />
          <TextInput
            label={t('admin.agencies.name')}
            required
            value={form.name}
            error={fields.name}
            onChange={(e) => set('name', e.currentTarget.value)}
          />
          <Select
            label={t('admin.agencies.type')}
            required
            searchable
            data={typeOptions}
            value={form.type}
            error={fields.type}
            onChange={(v) => {
              const type = v as TAgencyType | null;
              set('type', type);
              if (!record && type) set('isCompetentAuthority', DEFAULT_COMPETENT_AGENCY_TYPES.includes(type));
            }}
          />
          <Select
            label={t('admin.agencies.region')}
            required
            searchable
            data={regionOptions}
            value={form.region}
            error={fields.region}
            onChange={(v) => set('region', v as TRegion | null)}
          />
          <Switch
            label={t('admin.agencies.competentAuthority')}
            description={t('admin.agencies.competentAuthorityHint')}
            checked={form.isCompetentAuthority}
            onChange={(e) => set('isCompetentAuthority', e.currentTarget.checked)}
          />
          <TextInput
            label={t('admin.agencies.email')}
            type="email"
            value={form.contactEmail}
            error={fields.contactEmail}
            onChange={(e) => set('contactEmail', e.currentTarget.value)}
          />
          <TextInput
            label={t('admin.agencies.phone')}
            type="tel"
            value={form.contactPhone}
            error={fields.contactPhone}
            onChange={(e) => set('contactPhone', e.currentTarget.value)}
          />
          <Textarea
            label={t('admin.agencies.address')}
            autosize
            minRows={2}
            value={form.address}
            error={fields.address}
            onChange={(e) => set('address', e.currentTarget.value)}
          />
          {record && (
            <Switch
              label={t('common.active')}
              checked={form.active}
              onChange={(e) => set('active', e.currentTarget.checked)}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
