import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultTemplates,
  placeholders,
  renderTemplate,
  templateFor,
  templateProblems,
  unknownPlaceholders,
} from '../../../../lambdas/domain/notifications/message-templates.ts';
import { messagePurposes } from '../../../../lambdas/domain/notifications/notification.ts';

const dana = {
  customerFirstName: 'Dana',
  customerName: 'Dana Whitfield',
  tenantName: 'Acme Heating & Cooling',
};

describe('message templates', () => {
  describe('defaults', () => {
    it.each(messagePurposes)('when the %s text goes by SMS, it ends with how to opt out', (purpose) => {
      // Arrange
      const template = defaultTemplates[purpose];

      // Act
      const text = renderTemplate(template.sms, dana);

      // Assert
      expect(text).toMatch(/Reply STOP to opt out\.$/);
    });

    it.each(messagePurposes)(
      'when the %s templates are checked, they name only known placeholders',
      (purpose) => {
        // Arrange
        const { sms, emailSubject, emailBody } = defaultTemplates[purpose];

        // Act
        const unknown = [sms, emailSubject, emailBody].flatMap(unknownPlaceholders);

        // Assert
        expect(unknown).toEqual([]);
      },
    );

    it('when the tenant changed only the SMS of a purpose, its email keeps the default texts', () => {
      // Arrange
      const settings = { templates: { reminder: { sms: 'See you {date}, {customerFirstName}!' } } };

      // Act
      const template = templateFor(settings, 'reminder');

      // Assert
      expect(template).toEqual({ ...defaultTemplates.reminder, sms: 'See you {date}, {customerFirstName}!' });
    });
  });

  describe('rendering', () => {
    it('when every value is given, the placeholders read as the values', () => {
      // Arrange
      const text = 'Hi {customerFirstName}, {tenantName} will visit {window}.';

      // Act
      const rendered = renderTemplate(text, { ...dana, window: 'Fri Mar 14 between 8:00 AM and 12:00 PM' });

      // Assert
      expect(rendered).toBe(
        'Hi Dana, Acme Heating & Cooling will visit Fri Mar 14 between 8:00 AM and 12:00 PM.',
      );
    });

    it('when a bracketed part lacks a value, the part is left out, brackets and all', () => {
      // Arrange
      const text = '{technicianFirstName} is on the way[ and should arrive around {eta}]. See you soon.';

      // Act
      const withEta = renderTemplate(text, { technicianFirstName: 'Ana', eta: '9:10 AM' });
      const withoutEta = renderTemplate(text, { technicianFirstName: 'Ana' });

      // Assert
      expect(withEta).toBe('Ana is on the way and should arrive around 9:10 AM. See you soon.');
      expect(withoutEta).toBe('Ana is on the way. See you soon.');
    });

    it('when a greeting or a name has no value, it reads as its fallback', () => {
      // Arrange
      const text = 'Hi {customerFirstName}, {technicianFirstName} is on the way.';

      // Act
      const rendered = renderTemplate(text, {});

      // Assert
      expect(rendered).toBe('Hi there, your technician is on the way.');
    });

    it('when a value without a fallback is missing, the sentence closes up around it', () => {
      // Arrange
      const text = 'Your invoice {invoiceNumber} is ready. Note: {note}, thanks {customerName}';

      // Act
      const rendered = renderTemplate(text, { invoiceNumber: '', customerName: 'Dana' });

      // Assert
      expect(rendered).toBe('Your invoice is ready. Note:, thanks Dana');
    });

    it('when square brackets hold no placeholder, they stay as written', () => {
      // Arrange
      const text = 'Reply [Y] to confirm, {customerFirstName}.';

      // Act
      const rendered = renderTemplate(text, dana);

      // Assert
      expect(rendered).toBe('Reply [Y] to confirm, Dana.');
    });

    it('when a value spans lines with indentation, its layout is kept', () => {
      // Arrange
      const text = 'Your invoice:\n{details}\nThanks';

      // Act
      const rendered = renderTemplate(text, { details: '  Labor: $120.00\n  Trip: $75.00' });

      // Assert
      expect(rendered).toBe('Your invoice:\n  Labor: $120.00\n  Trip: $75.00\nThanks');
    });

    it('when any default is rendered with any values missing, no placeholder or "undefined" leaks', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...messagePurposes),
          fc.constantFrom('sms', 'emailSubject', 'emailBody') as fc.Arbitrary<
            'sms' | 'emailSubject' | 'emailBody'
          >,
          fc.subarray([...placeholders]),
          (purpose, part, given) => {
            // Arrange
            const values = Object.fromEntries(given.map((name) => [name, `v-${name}`]));

            // Act
            const rendered = renderTemplate(defaultTemplates[purpose][part], values);

            // Assert
            expect(rendered).not.toMatch(/[{}]|undefined|\[|\]| {2}|\uE000/);
          },
        ),
      );
    });
  });

  describe('checking a tenant’s texts', () => {
    it('when a text names an unknown placeholder, the problem names the field and the placeholder', () => {
      // Arrange
      const templates = { reminder: { sms: 'Hi {firstName}, see you {date}' } };

      // Act
      const problems = templateProblems(templates);

      // Assert
      expect(problems).toEqual([
        { field: 'body.templates.reminder.sms', message: expect.stringContaining('{firstName}') },
      ]);
    });

    it('when a text is empty, the problem names the field', () => {
      // Arrange
      const templates = { invoice: { emailSubject: '   ' } };

      // Act
      const problems = templateProblems(templates);

      // Assert
      expect(problems).toEqual([
        { field: 'body.templates.invoice.emailSubject', message: 'must not be empty' },
      ]);
    });

    it('when the texts name only known placeholders, there is no problem', () => {
      // Arrange
      const templates = { en_route: { sms: '{technicianFirstName} arrives {eta}. {link}' } };

      // Act
      const problems = templateProblems(templates);

      // Assert
      expect(problems).toEqual([]);
    });
  });
});
