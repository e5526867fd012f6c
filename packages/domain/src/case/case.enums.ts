import { z } from 'zod';

/** HTCDS prs_Gender. */
export const SEX_GENDER = [
  'Feminine',
  'Masculine',
  'TransgenderFeminine',
  'TransgenderMasculine',
  'NonConforming',
  'NonSpecifiedUnknown',
] as const;
export const ZSexGender = z.enum(SEX_GENDER);

/** HTCDS prs_MaritalStatus. */
export const MARITAL_STATUS = [
  'Single',
  'Married',
  'Widowed',
  'Divorced',
  'Separated',
  'RegisteredPartnership',
] as const;

/** HTCDS prs_HighestLevelOfEducation (ISCED 2011), plus none. */
export const EDUCATION_LEVELS = [
  'None',
  'EarlyChildhoodEducation',
  'PrimaryEducation',
  'LowerSecondaryEducation',
  'UpperSecondaryEducation',
  'PostSecondaryNonTertiaryEducation',
  'ShortCycleTertiaryEducation',
  'BachelorsOrEquivalentLevel',
  'MastersOrEquivalentLevel',
  'DoctoralOrEquivalentLevel',
] as const;

/** HTCDS vic_Vulnerabilities. */
export const VULNERABILITIES = [
  'Addiction',
  'SocialGroup',
  'Discrimination',
  'Poverty',
  'DisabilityAndPhysicalHealth',
  'MentalHealth',
  'Migration',
  'Homelessness',
  'AbuseSocialMedia',
  'AbusePhysical',
  'Education',
  'WorkEnvironment',
] as const;

export const DOCUMENT_TYPES = [
  'passport',
  'national_id',
  'residence_permit',
  'birth_certificate',
  'migration_card',
  'other',
] as const;
export const CONTACT_TYPES = ['phone', 'email', 'messenger', 'address'] as const;
export const NAME_SCRIPTS = ['cyrillic', 'latin', 'other'] as const;
export const NAME_KINDS = ['primary', 'alias', 'document', 'other'] as const;

/** How the person was identified (issue 3). */
export const IDENTIFICATION_METHODS = [
  'police_operation',
  'labour_inspection',
  'border_check',
  'health_visit',
  'hotline_call',
  'self_referral',
  'ngo_outreach',
  'embassy',
  'other',
] as const;

/** HTCDS vic_TypeOfExploitation. */
export const EXPLOITATION_FORMS = [
  'ForcedLabour',
  'SexualExploitation',
  'ChildLabour',
  'ForcedMarriage',
  'Servitude',
  'ForcedMilitaryByNonStateActors',
  'OrganRemoval',
  'ForcedBegging',
  'ForcedAdoption',
  'Surrogacy',
  'ForcedCriminality',
  'Other',
] as const;

/** HTCDS vic_ForcedLabourIndustry (ISIC v4 sections). */
export const LABOUR_INDUSTRIES = [
  'A_AgricultureForestryAndFishing',
  'B_MiningAndQuarrying',
  'C_Manufacturing',
  'D_ElectricityGasSteamAndAirConditioningSupply',
  'E_WaterSupplySewerageWasteManagement',
  'F_Construction',
  'G_WholesaleAndRetailTradeRepairOfMotorVehicles',
  'H_TransportationAndStorage',
  'I_AccommodationAndFoodServiceActivities',
  'J_InformationAndCommunication',
  'K_FinancialAndInsuranceActivities',
  'L_RealEstateActivities',
  'M_ProfessionalScientificAndTechnicalActivities',
  'N_AdministrativeAndSupportServiceActivities',
  'O_PublicAdministrationAndDefence',
  'P_Education',
  'Q_HumanHealthAndSocialWorkActivities',
  'R_ArtsEntertainmentAndRecreation',
  'S_OtherServiceActivities',
  'T_ActivitiesOfHouseholdsAsEmployers',
  'U_ActivitiesOfExtraterritorialOrganizations',
] as const;

/** HTCDS vic_TypeOfSexExploitation. */
export const SEX_EXPLOITATION_TYPES = [
  'Prostitution',
  'Pornography',
  'RemoteInteractiveServices',
  'PrivateSexualServices',
] as const;

/** HTCDS vic_MethodsOfControl — picklist names (the definitions sheet spells some differently; import accepts both). */
export const MEANS_OF_CONTROL = [
  'PhysicalThreats',
  'ThreatsLawEnforcement',
  'ThreatensChildrenFamily',
  'DebtBondage',
  'FalsePromises',
  'PhysicalAbuse',
  'SexualAbuse',
  'TakesEarnings',
  'RestrictsFinancialAccess',
  'RestrictsMedicalCare',
  'WithholdsNecessities',
  'PsychologicalAbuse',
  'PsychoactiveSubstance',
  'ExcessiveWorkingHours',
  'WithholdsDocuments',
  'Other',
] as const;

/** HTCDS vic_MethodOfRecruitment. */
export const RECRUITMENT_METHODS = [
  'AtAPlaceOfBusiness',
  'AtAnEducationalInstitution',
  'AtWork',
  'ThroughOnlineSocialNetworks',
  'ThroughAnOnlineAdvertisement',
  'ThroughATelevisionAdvert',
  'ThroughANewspaperAdvert',
  'ThroughFamilyOrFamilyEvents',
  'ThroughFriendsOrSocialEvents',
  'Other',
] as const;

/** HTCDS vic_RecruitmentWebsitesAndApps. */
export const RECRUITMENT_APPS = [
  'Facebook',
  'Instagram',
  'WhatsApp',
  'Telegram',
  'FacebookMessenger',
  'Viber',
  'SnapChat',
  'Line',
  '4Sale',
  'WeChat',
  'QQ',
  'QZone',
  'TikTok',
  'Twitter',
  'VKontakte',
  'Odnoklassniki',
  'Other',
] as const;

/** HTCDS vic_RelationshipToTrafficker (the standard spells "Unaquainted"; we keep its value). */
export const RELATIONSHIPS_TO_RECRUITER = ['Familial', 'Acquainted', 'Unaquainted', 'Unknown'] as const;

/** The stages of a case (NRM.md section 3). */
export const CASE_STAGES = [
  'encounter',
  'screened',
  'referred',
  'presumed_victim',
  'identified',
  'assistance',
  'return_integration',
  'closed',
] as const;
export const ZCaseStage = z.enum(CASE_STAGES);
export type TCaseStage = z.infer<typeof ZCaseStage>;

/** CTDC age bands, used for statistics and the de-identified age of a person. */
export const CTDC_AGE_BANDS = ['0-8', '9-17', '18-20', '21-23', '24-26', '27-29', '30-38', '39-47', '48+'] as const;
export type TAgeBand = (typeof CTDC_AGE_BANDS)[number] | 'unknown';
