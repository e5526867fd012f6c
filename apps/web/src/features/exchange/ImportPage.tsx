import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  FileInput,
  Group,
  Progress,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { KZ_REGIONS, LOCALES, type THtcdsImportResult, type THtcdsPreview, type TLocale } from '@opennrm/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { exchangeApi, fileToBase64, type TUploadBody } from './exchangeApi.ts';

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; pct: number }
  | { kind: 'checking' }
  | { kind: 'importing'; pct: number };

/**
 * HTCDS 2.0 import: upload → per-row report → confirm. Nothing is written before the confirmation;
 * the report shows rows and columns only, never the people in them.
 */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const locale: TLocale = (LOCALES as readonly string[]).includes(i18n.language) ? (i18n.language as TLocale) : 'en';
  const [file, setFile] = useState<File | null>(null);
  const [region, setRegion] = useState<string | null>(null);
  const [body, setBody] = useState<TUploadBody | null>(null);
  const [preview, setPreview] = useState<THtcdsPreview | null>(null);
  const [result, setResult] = useState<THtcdsImportResult | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<unknown>(null);
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);

  const reset = () => {
    setPreview(null);
    setResult(null);
    setError(null);
    setSkipInvalid(false);
  };

  const check = async () => {
    if (!file || !region) return;
    reset();
    try {
      setPhase({ kind: 'uploading', pct: 0 });
      const b = { fileName: file.name, content: await fileToBase64(file), region };
      setBody(b);
      const p = await exchangeApi.preview(b, locale, (pct) =>
        setPhase(pct < 100 ? { kind: 'uploading', pct } : { kind: 'checking' }),
      );
      setPreview(p);
    } catch (e) {
      setError(e);
    } finally {
      setPhase({ kind: 'idle' });
    }
  };

  const confirm = async () => {
    if (!body || !preview) return;
    setError(null);
    try {
      setPhase({ kind: 'importing', pct: 0 });
      const r = await exchangeApi.confirm({ ...body, fileHash: preview.fileHash, skipInvalid }, locale, (pct) =>
        setPhase({ kind: 'importing', pct }),
      );
      setResult(r);
      setPreview(null);
    } catch (e) {
      setError(e);
    } finally {
      setPhase({ kind: 'idle' });
    }
  };

  const busy = phase.kind !== 'idle';
  const rows = preview ? preview.rows.filter((r) => !onlyErrors || !r.ok) : [];
  const canImport = preview && preview.valid > 0 && (preview.invalid === 0 || skipInvalid);

  return (
    <Stack maw={1100}>
      <Title order={1}>{t('exchange.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('exchange.intro')}
      </Text>
      <Card withBorder padding="md">
        <Group align="flex-end">
          <FileInput
            label={t('exchange.file')}
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={(f) => {
              setFile(f);
              reset();
            }}
            w={320}
            data-testid="import-file"
            clearable
          />
          <Select
            label={t('exchange.region')}
            data={KZ_REGIONS.map((r) => ({ value: r, label: t(`regions.${r}`) }))}
            value={region}
            onChange={(v) => {
              setRegion(v);
              reset();
            }}
            searchable
            w={260}
            data-testid="import-region"
          />
          <Button onClick={() => void check()} disabled={!file || !region || busy} data-testid="import-check">
            {t('exchange.check')}
          </Button>
        </Group>
      </Card>
      {phase.kind === 'uploading' && (
        <Stack gap={4} data-testid="import-progress">
          <Text size="sm">{t('exchange.uploading', { pct: phase.pct })}</Text>
          <Progress value={phase.pct} />
        </Stack>
      )}
      {phase.kind === 'checking' && (
        <Stack gap={4} data-testid="import-progress">
          <Text size="sm">{t('exchange.checking')}</Text>
          <Progress value={100} animated striped />
        </Stack>
      )}
      {phase.kind === 'importing' && (
        <Stack gap={4} data-testid="import-progress">
          <Text size="sm">{t('exchange.importing')}</Text>
          <Progress value={phase.pct} animated striped />
        </Stack>
      )}
      <ErrorAlert error={error} />
      {result && (
        <Alert color="green" data-testid="import-done">
          {t('exchange.done', { imported: result.imported, skipped: result.skipped })}
        </Alert>
      )}
      {preview && (
        <Card withBorder padding="md" data-testid="import-report">
          <Stack>
            <Text fw={600} data-testid="import-summary">
              {t('exchange.summary', { total: preview.total, valid: preview.valid, invalid: preview.invalid })}
            </Text>
            {preview.ignoredColumns.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('exchange.ignoredColumns', { columns: preview.ignoredColumns.join(', ') })}
              </Text>
            )}
            {preview.missingColumns.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('exchange.missingColumns', { columns: preview.missingColumns.join(', ') })}
              </Text>
            )}
            <Switch
              label={t('exchange.onlyErrors')}
              checked={onlyErrors}
              onChange={(e) => setOnlyErrors(e.currentTarget.checked)}
            />
            <Table striped data-testid="import-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('exchange.row')}</Table.Th>
                  <Table.Th>{t('exchange.column')}</Table.Th>
                  <Table.Th>{t('exchange.problem')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.flatMap((r) =>
                  r.ok
                    ? [
                        <Table.Tr key={r.row} data-testid={`import-row-${r.row}`}>
                          <Table.Td>{r.row}</Table.Td>
                          <Table.Td />
                          <Table.Td>
                            <Badge color="green" variant="light">
                              {t('exchange.rowOk')}
                            </Badge>
                          </Table.Td>
                        </Table.Tr>,
                      ]
                    : r.errors.map((e, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: a row may repeat the same problem in one column
                        <Table.Tr key={`${r.row}-${e.column}-${e.code}-${i}`} data-testid={`import-row-${r.row}`}>
                          <Table.Td>{i === 0 ? r.row : ''}</Table.Td>
                          <Table.Td>
                            <code>{e.column}</code>
                          </Table.Td>
                          <Table.Td c="red">{e.message}</Table.Td>
                        </Table.Tr>
                      )),
                )}
              </Table.Tbody>
            </Table>
            {preview.invalid > 0 && preview.valid > 0 && (
              <Checkbox
                label={t('exchange.skipInvalid')}
                checked={skipInvalid}
                onChange={(e) => setSkipInvalid(e.currentTarget.checked)}
                data-testid="import-skip"
              />
            )}
            <Group>
              <Button onClick={() => void confirm()} disabled={!canImport || busy} data-testid="import-confirm">
                {t('exchange.confirm', { count: preview.valid })}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
