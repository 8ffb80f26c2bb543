/**
 * What the receipt shows of a person's own contact details: enough to recognise them, not
 * enough to use them. The receipt link is a bearer link that may be photographed or forwarded;
 * whoever holds it should learn no e-mail address or phone number from it (GDPR data
 * minimisation). The full details stay with the contact person, who needs them.
 */

const HIDDEN = '•••';

/** "karoline@example.dk" → "k•••@example.dk". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return HIDDEN;
  return `${Array.from(email.slice(0, at))[0]}${HIDDEN}${email.slice(at)}`;
}

/** "+4520304050" → "+45 ••• 50": the country code (when given) and the last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 4) return HIDDEN;
  const country = phone.startsWith('+') ? `+${digits.slice(0, 2)} ` : '';
  return `${country}${HIDDEN} ${digits.slice(-2)}`;
}
