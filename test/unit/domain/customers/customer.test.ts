import { describe, expect, it } from 'vitest';
import { nameKey, normalizeEmail, normalizePhone } from '../../../../lambdas/domain/customers/customer.ts';

describe('normalizePhone', () => {
  it('when a US number is written the local way, it returns it in E.164 with the US code', () => {
    // Act
    const phone = normalizePhone('(617) 555-0101', 'US');

    // Assert
    expect(phone).toBe('+16175550101');
  });

  it('when a number carries its own country code, it keeps that country over the default', () => {
    // Act
    const phone = normalizePhone('+44 20 7946 0958', 'US');

    // Assert
    expect(phone).toBe('+442079460958');
  });

  it('when a UK tenant writes a national number, it reads it as a UK number', () => {
    // Act
    const phone = normalizePhone('020 7946 0958', 'GB');

    // Assert
    expect(phone).toBe('+442079460958');
  });

  it.each(['123', 'call me maybe', '', '+1 000 000 0000'])(
    'when the number is %j, it returns undefined',
    (raw) => {
      // Act
      const phone = normalizePhone(raw, 'US');

      // Assert
      expect(phone).toBeUndefined();
    },
  );
});

describe('normalizeEmail', () => {
  it('when the address has capitals and surrounding spaces, it lowercases and trims it', () => {
    // Act
    const email = normalizeEmail('  Dana.Whitfield@Example.COM ');

    // Assert
    expect(email).toBe('dana.whitfield@example.com');
  });
});

describe('nameKey', () => {
  it('when the name has accents, it drops them', () => {
    // Act
    const key = nameKey('Zoë Brontë-Núñez');

    // Assert
    expect(key).toBe('zoe bronte nunez');
  });

  it('when the name has punctuation and repeated spaces, it leaves single spaces between words', () => {
    // Act
    const key = nameKey("  O'Brien,   Mary-Kate  ");

    // Assert
    expect(key).toBe('o brien mary kate');
  });

  it('when two spellings differ only in case, accents and punctuation, it gives them the same key', () => {
    // Act
    const keys = [nameKey('RENÉE & Co.'), nameKey('renee co')];

    // Assert
    expect(keys[0]).toBe(keys[1]);
  });

  it('when the name has digits, it keeps them', () => {
    // Act
    const key = nameKey('Unit 4B Apartments');

    // Assert
    expect(key).toBe('unit 4b apartments');
  });
});
