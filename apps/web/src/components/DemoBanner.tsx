import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Always-visible warning that the instance holds synthetic data only. */
export function DemoBanner() {
  const { t } = useTranslation();
  return (
    <Alert color="orange" variant="light" mb="md" role="status" data-testid="demo-banner">
      {t('app.demoBanner')}
    </Alert>
  );
}
