import type { TFieldComparison } from '@opennrm/domain';
import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { explainField } from './explain.ts';

const COLORS: Record<TFieldComparison['agreement'], string | undefined> = {
  match: 'teal',
  partial: 'yellow',
  mismatch: 'red',
  missing: 'dimmed',
};

/** Why a score is what it is: each field's agreement, weight and reason, in the interface language. */
export function ScoreExplanation({ fields }: { fields: TFieldComparison[] }) {
  const { t } = useTranslation();
  return (
    <Table fz="xs" withTableBorder striped data-testid="score-explanation">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('duplicates.fieldsTitle')}</Table.Th>
          <Table.Th>{t('duplicates.agreementTitle')}</Table.Th>
          <Table.Th>{t('duplicates.weightTitle')}</Table.Th>
          <Table.Th>{t('duplicates.reasonTitle')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {fields.map((f) => {
          const row = explainField(t, f);
          return (
            <Table.Tr key={f.field}>
              <Table.Td>{row.field}</Table.Td>
              <Table.Td c={COLORS[f.agreement]}>{row.agreement}</Table.Td>
              <Table.Td>{row.weight}</Table.Td>
              <Table.Td>{row.reason}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
