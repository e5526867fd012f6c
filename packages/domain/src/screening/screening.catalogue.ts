import raw from './catalogue.2009-labour-v1.json' with { type: 'json' };
import { type TCatalogue, ZCatalogue } from './screening.schemas.ts';

/**
 * ILO/EC 2009 operational indicators, adult and child labour lists, version `2009-labour-v1`, with
 * kk/ru/en texts and help. The sexual-exploitation profiles have no list yet. Validated on load.
 */
export const CATALOGUE_2009_LABOUR_V1: TCatalogue = ZCatalogue.parse(raw);

/** The catalogue new screenings use until an administrator publishes another version. */
export const DEFAULT_SCREENING_CATALOGUE: TCatalogue = CATALOGUE_2009_LABOUR_V1;

/** Alias of `DEFAULT_SCREENING_CATALOGUE`. */
export const DEFAULT_CATALOGUE: TCatalogue = DEFAULT_SCREENING_CATALOGUE;
