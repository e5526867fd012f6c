/**
 * UN M49 sub-regions, used to generalise a country (citizenship, country of exploitation) in
 * statistics and the k-anonymous export. Data, not code: a country missing here generalises to
 * 'other' (M49_FALLBACK), which is still a valid — just coarser — category.
 *
 * Central Asia and the CIS are complete (Kazakhstan's main origin and destination countries);
 * elsewhere the list covers the countries that appear in trafficking data for the region. Sub-Saharan
 * Africa and Latin America are kept as M49 intermediate regions grouped at the M49 level used by
 * GLOTIP (sub-Saharan Africa; Latin America and the Caribbean).
 */
export const M49_SUBREGIONS = [
  'central_asia',
  'eastern_europe',
  'western_asia',
  'southern_asia',
  'eastern_asia',
  'south_eastern_asia',
  'northern_europe',
  'western_europe',
  'southern_europe',
  'northern_africa',
  'sub_saharan_africa',
  'latin_america_caribbean',
  'northern_america',
  'oceania',
  'other',
] as const;
export type TM49Subregion = (typeof M49_SUBREGIONS)[number];
export const M49_FALLBACK: TM49Subregion = 'other';

const group = (subregion: TM49Subregion, codes: string): Record<string, TM49Subregion> =>
  Object.fromEntries(codes.split(' ').map((c) => [c, subregion]));

/** ISO 3166-1 alpha-2 → UN M49 sub-region. */
export const M49_SUBREGION_BY_COUNTRY: Readonly<Record<string, TM49Subregion>> = {
  ...group('central_asia', 'KZ KG TJ TM UZ'),
  // CIS members and former members in Europe, plus the rest of M49 Eastern Europe.
  ...group('eastern_europe', 'RU BY UA MD PL CZ SK HU RO BG'),
  // South Caucasus (CIS) and the Middle East, including the Gulf destinations.
  ...group('western_asia', 'AM AZ GE TR CY IL PS JO LB SY IQ SA AE QA KW BH OM YE'),
  ...group('southern_asia', 'AF IR PK IN BD LK NP BT MV'),
  ...group('eastern_asia', 'CN MN JP KR KP HK MO TW'),
  ...group('south_eastern_asia', 'TH VN MY ID PH SG KH LA MM BN TL'),
  ...group('northern_europe', 'GB IE IS NO SE FI DK EE LV LT'),
  ...group('western_europe', 'DE FR NL BE LU AT CH LI MC'),
  ...group('southern_europe', 'IT ES PT GR MT SI HR BA RS ME MK AL XK AD SM VA'),
  ...group('northern_africa', 'EG LY TN DZ MA SD EH'),
  ...group(
    'sub_saharan_africa',
    'NG GH CI SN ML NE BF GN SL LR TG BJ CM CD CG GA GQ CF TD ET ER DJ SO KE UG TZ RW BI SS MZ MW ZM ZW AO NA BW ZA LS SZ MG MU KM SC CV GM GW ST',
  ),
  ...group(
    'latin_america_caribbean',
    'MX GT BZ HN SV NI CR PA CU DO HT JM TT BS BB CO VE EC PE BO BR PY UY AR CL GY SR',
  ),
  ...group('northern_america', 'US CA'),
  ...group('oceania', 'AU NZ PG FJ SB VU WS TO KI FM MH PW NR TV'),
};

/** The M49 sub-region of an ISO alpha-2 code; 'other' when the code is not in the table. */
export function m49Subregion(country: string): TM49Subregion {
  return M49_SUBREGION_BY_COUNTRY[country.toUpperCase()] ?? M49_FALLBACK;
}
