import type { TCaseCreate } from '@opennrm/domain';

let seq = 0;

/** A valid intake with unique identifiers; override any part. */
export function intake(
  over: { person?: Partial<TCaseCreate['person']>; case?: Partial<TCaseCreate['case']> } = {},
): TCaseCreate {
  seq += 1;
  return {
    person: {
      names: [{ family: 'Ахметова', given: 'Айгерім', patronymic: 'Серікқызы', script: 'cyrillic', kind: 'primary' }],
      sex: 'Feminine',
      birthDate: { kind: 'exact', date: '1998-04-17' },
      ageUncertainPossiblyMinor: false,
      citizenships: ['KZ'],
      stateless: false,
      languages: ['kk', 'ru'],
      interpreterNeeded: false,
      documents: [{ type: 'national_id', number: `98041750${String(1000 + seq)}`, issuingCountry: 'KZ' }],
      contacts: [{ type: 'phone', value: `+7 701 555 ${String(1000 + seq)}` }],
      vulnerabilities: ['Poverty'],
      ...over.person,
    },
    case: {
      encounterDate: '2026-11-20',
      encounterRegion: 'almaty',
      encounterPlace: 'Barakholka market, row 14',
      identificationMethod: 'ngo_outreach',
      exploitationForms: ['ForcedLabour'],
      labourIndustry: 'G_WholesaleAndRetailTradeRepairOfMotorVehicles',
      sexExploitationTypes: [],
      meansOfControl: ['WithholdsDocuments', 'DebtBondage'],
      recruitmentMethods: ['ThroughOnlineSocialNetworks'],
      recruitmentApps: ['Telegram'],
      relationshipToRecruiter: 'Acquainted',
      countriesOfOrigin: ['KZ'],
      countriesOfTransit: [],
      countriesOfExploitation: ['KZ'],
      exploitationStart: '2026-03-01',
      exploitationEnd: '2026-11-15',
      narrative: 'Worked 14 hours a day at a market stall; passport kept by the stall owner.',
      ...over.case,
    },
  };
}
