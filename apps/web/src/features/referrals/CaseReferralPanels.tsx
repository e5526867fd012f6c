import { Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { endpoints } from '../../api/endpoints.ts';
import { ConsentSection } from '../consent/ConsentSection.tsx';
import { EmergencyAccessList } from '../emergency/EmergencyAccess.tsx';
import { ReferralsSection } from './ReferralsSection.tsx';

interface Props {
  caseId: string;
  holderAgencyId: string;
  region: string;
  isChild: boolean;
  languages: readonly string[];
}

/** The holding agency's consent and referral sections of a case (issue 4), and who opened it in an emergency. */
export function CaseReferralPanels({ caseId, holderAgencyId, region, isChild, languages }: Props) {
  const consents = useQuery({ queryKey: ['consents', caseId], queryFn: () => endpoints.caseConsents(caseId) });
  return (
    <Stack>
      <EmergencyAccessList caseId={caseId} />
      <ConsentSection caseId={caseId} isChild={isChild} languages={languages} />
      <ReferralsSection
        caseId={caseId}
        holderAgencyId={holderAgencyId}
        region={region}
        isChild={isChild}
        consents={consents.data?.items ?? []}
      />
    </Stack>
  );
}
