import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htcdsDate, htcdsRowToCase, parseCsv, readHtcdsTable, type THtcdsCell } from './htcds.ts';

const opts = { region: 'almaty' as const, today: '2026-11-30' };

/** The template's two header rows: field names (with the typo and the nameless column) and labels. */
const names = [
  null,
  'prs_FirstName',
  'prs_SecondName',
  'prs_Birthdate',
  'prs_Gender',
  'prs_Citizenship',
  'vic_TraffickinStatusDecisionMakingOrg',
  'vic_MethodsOfControl',
  'vic_TypeOfExploitation',
  null,
  'cas_Status',
];
const labels = [
  null,
  'First Name',
  'Second Name',
  'Birthdate',
  'Gender',
  'Citizenship',
  'Trafficking Status Decision Making Organization',
  'Methods of Control',
  'Type of Exploitation',
  'Reason for Outgoing Referral',
  'Status',
];

describe('HTCDS import', () => {
  it('reads the template: the header typo, the unlabelled column, empty numbered rows skipped', () => {
    const grid: THtcdsCell[][] = [
      names,
      labels,
      [
        1,
        'Aigerim',
        'Akhmetova',
        '1998-04-17',
        'Feminine',
        'KZ',
        'Police',
        'Debt bondage ',
        'Forced labour',
        'Other',
        'Active',
      ],
      [2],
      [3, null, null, null, null, null, null, null, null, null, null],
    ];
    const t = readHtcdsTable(grid)!;
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0]!.rowNumber).toBe(3);
    expect(t.rows[0]!.values.vic_TraffickingStatusDecisionMakingOrg).toBe('Police');
    expect(t.ignoredColumns).toEqual(['cas_ReasonForOutgoingReferral', 'cas_Status']);
    const { input, issues } = htcdsRowToCase(t.rows[0]!, opts);
    expect(issues).toEqual([]);
    expect(input!.person.sex).toBe('Feminine');
    expect(input!.person.citizenships).toEqual(['KZ']);
    expect(input!.case.meansOfControl).toEqual(['DebtBondage']);
    expect(input!.case.exploitationForms).toEqual(['ForcedLabour']);
    expect(input!.case.encounterRegion).toBe('almaty');
  });

  it('accepts both spellings of means of control (picklist labels, standard names, definition variants)', () => {
    const row = {
      rowNumber: 3,
      values: {
        prs_FirstName: 'A',
        prs_Gender: 'masculine',
        vic_MethodsOfControl:
          'Threats of law enforcement; ThreatsLawEnforcement; Threatens children/family; ThreatensChildrenFamily; DebtBondage ; Psychoactive substances',
      },
    };
    const { input, issues } = htcdsRowToCase(row, opts);
    expect(issues).toEqual([]);
    expect(input!.case.meansOfControl).toEqual([
      'ThreatsLawEnforcement',
      'ThreatensChildrenFamily',
      'DebtBondage',
      'PsychoactiveSubstance',
    ]);
  });

  it('reports every problem of a broken row, per column', () => {
    const { input, issues } = htcdsRowToCase(
      {
        rowNumber: 7,
        values: {
          prs_Gender: 'Female-ish',
          prs_Birthdate: '31.02.1990',
          prs_Citizenship: 'Atlantis',
          vic_MethodsOfControl: 'Mind control',
          vic_TypeOfExploitation: 'Forced labour',
          cas_IncomingReferralDate: '2030-01-01',
          prs_Email: 'not-an-email',
        },
      },
      opts,
    );
    expect(input).toBeNull();
    expect(issues).toEqual([
      { column: 'prs_FirstName', code: 'name_required' },
      { column: 'prs_Gender', code: 'invalid_value', value: 'Female-ish' },
      { column: 'prs_Birthdate', code: 'invalid_date', value: '31.02.1990' },
      { column: 'prs_Citizenship', code: 'invalid_country', value: 'Atlantis' },
      { column: 'vic_MethodsOfControl', code: 'invalid_value', value: 'Mind control' },
      { column: 'cas_IncomingReferralDate', code: 'future_date', value: '2030-01-01' },
      { column: 'prs_Email', code: 'invalid_email' },
    ]);
  });

  it('reads dates from Excel cells, ISO and DD.MM.YYYY text', () => {
    expect(htcdsDate(new Date(Date.UTC(1998, 3, 17)))).toBe('1998-04-17');
    expect(htcdsDate(36194)).toBe('1999-02-03');
    expect(htcdsDate('17.04.1998')).toBe('1998-04-17');
    expect(htcdsDate('1998-04-17T00:00:00Z')).toBe('1998-04-17');
    expect(htcdsDate('1998-02-30')).toBeNull();
    expect([
      htcdsDate('29.02.2000'),
      htcdsDate('2024-02-29'),
      htcdsDate('29.02.1900'),
      htcdsDate('31.04.2020'),
    ]).toEqual(['2000-02-29', '2024-02-29', null, null]);
    expect([htcdsDate('2020-13-01'), htcdsDate('0.1.2020'), htcdsDate('5/1/2020')]).toEqual([null, null, '2020-01-05']);
  });

  it('parses CSV with quotes and either separator', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
    expect(parseCsv('\uFEFFa;b;c\n1;2;3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('property: the fast CSV reader reads exactly as the character-by-character one', () => {
    /** The reference: the previous implementation, one character at a time. */
    const reference = (textIn: string): string[][] => {
      const src = textIn.replace(/^\uFEFF/, '');
      const firstLine = src.slice(0, src.indexOf('\n') >= 0 ? src.indexOf('\n') : src.length);
      const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
      const rows: string[][] = [];
      let row: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < src.length; i++) {
        const ch = src[i]!;
        if (quoted) {
          if (ch === '"') {
            if (src[i + 1] === '"') {
              cell += '"';
              i++;
            } else quoted = false;
          } else cell += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === sep) {
          row.push(cell);
          cell = '';
        } else if (ch === '\n' || ch === '\r') {
          if (ch === '\r' && src[i + 1] === '\n') i++;
          row.push(cell);
          rows.push(row);
          row = [];
          cell = '';
        } else cell += ch;
      }
      if (cell !== '' || row.length) {
        row.push(cell);
        rows.push(row);
      }
      return rows;
    };
    const text = fc
      .array(fc.constantFrom('a', 'Ж', ' ', ',', ';', '"', '""', '\n', '\r', '\r\n', 'x y', '\uFEFF'), {
        maxLength: 40,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(parseCsv(t)).toEqual(reference(t));
      }),
      { numRuns: 3000 },
    );
  });
});
