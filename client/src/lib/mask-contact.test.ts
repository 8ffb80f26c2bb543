import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone } from './mask-contact';

describe('contact details on the receipt', () => {
  it('[F7] shows an e-mail address by its first letter and its domain only', () => {
    expect(maskEmail('karoline@example.dk')).toBe('k•••@example.dk');
    expect(maskEmail('ø@example.dk')).toBe('ø•••@example.dk');
    expect(maskEmail('karoline.skovgaard@example.dk')).not.toContain('skovgaard');
    expect(maskEmail('not-an-address')).toBe('•••');
  });

  it('[F7] shows a phone number by its country code and last two digits only', () => {
    expect(maskPhone('+4520304050')).toBe('+45 ••• 50');
    expect(maskPhone('20304050')).toBe('••• 50');
    expect(maskPhone('+4520304050')).not.toContain('2030');
    expect(maskPhone('12')).toBe('•••');
  });
});
