import { describe, expect, it } from 'vitest';
import { EXPLOITATION_FORMS } from '../case/case.enums.ts';
import { DEFAULT_DISCLOSURE_CONFIG, GLOTIP_BY_HTCDS, GLOTIP_FORMS, glotipForm, ZDisclosureConfig } from './config.ts';
import { m49Subregion } from './regions.ts';

describe('disclosure configuration', () => {
  it('defaults to k = 5 on the dashboard and CTDC k = 11 for publication', () => {
    expect(DEFAULT_DISCLOSURE_CONFIG).toEqual({ kDashboard: 5, kPublication: 11, maxSuppression: 0.05 });
  });
  it('refuses k below 3 and a publication k below the dashboard k', () => {
    expect(ZDisclosureConfig.safeParse({ kDashboard: 2 }).success).toBe(false);
    expect(ZDisclosureConfig.safeParse({ kPublication: 2 }).success).toBe(false);
    expect(ZDisclosureConfig.safeParse({ kDashboard: 3, kPublication: 3 }).success).toBe(true);
    expect(ZDisclosureConfig.safeParse({ kDashboard: 7, kPublication: 6 }).success).toBe(false);
    expect(ZDisclosureConfig.safeParse({ kDashboard: 4.5 }).success).toBe(false);
  });
});

describe('GLOTIP forms of exploitation', () => {
  it('maps every HTCDS form to a GLOTIP category other than mixed', () => {
    for (const f of EXPLOITATION_FORMS) {
      expect(GLOTIP_FORMS).toContain(GLOTIP_BY_HTCDS[f]);
      expect(GLOTIP_BY_HTCDS[f]).not.toBe('mixed');
    }
  });
  it('gives mixed for more than one category, the category for one, other for none', () => {
    expect(glotipForm(['SexualExploitation'])).toBe('sexual');
    expect(glotipForm(['ForcedLabour', 'ChildLabour', 'Servitude'])).toBe('forced_labour');
    expect(glotipForm(['ForcedLabour', 'SexualExploitation'])).toBe('mixed');
    expect(glotipForm(['ForcedBegging'])).toBe('begging');
    expect(glotipForm([])).toBe('other');
  });
});

describe('M49 sub-regions', () => {
  it('covers Central Asia and the CIS, with a fallback', () => {
    for (const c of ['KZ', 'KG', 'TJ', 'TM', 'UZ']) expect(m49Subregion(c)).toBe('central_asia');
    for (const c of ['RU', 'BY', 'MD', 'UA']) expect(m49Subregion(c)).toBe('eastern_europe');
    for (const c of ['AM', 'AZ', 'GE']) expect(m49Subregion(c)).toBe('western_asia');
    expect(m49Subregion('kz')).toBe('central_asia');
    expect(m49Subregion('ZZ')).toBe('other');
  });
});
