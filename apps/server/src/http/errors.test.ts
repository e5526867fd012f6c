import { translate } from '@opennrm/domain';
import { describe, expect, it } from 'vitest';
import { zodFields } from './errors.ts';

describe('zodFields', () => {
  it('translates each issue with its own message, naming the field', () => {
    const [f] = zodFields([{ code: 'too_small', path: ['password'], minimum: 12 }], 'ru');
    expect(f).toEqual({ path: 'password', code: 'too_small', message: translate('ru', 'validation.too_small') });
  });

  it('reports an absent value as required', () => {
    const [f] = zodFields([{ code: 'invalid_type', path: ['name'], input: undefined }], 'kk', 'body');
    expect(f).toMatchObject({ path: 'body.name', code: 'required', message: translate('kk', 'validation.required') });
  });

  it('never shows a raw catalogue key for a code without its own message', () => {
    for (const code of ['invalid_key', 'invalid_element', 'something_new']) {
      const [f] = zodFields([{ code, path: ['data', 'x'] }], 'en');
      expect(f!.code).toBe(code);
      expect(f!.message).toBe(translate('en', 'validation.custom'));
    }
  });
});
