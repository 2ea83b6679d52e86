import { describe, expect, it } from 'vitest';
import {
  buildServiceTypeSuggester,
  type CatalogueServiceType,
  type ServiceTypeSuggestion,
} from '../../../../lambdas/domain/work-orders/service-type-suggester.ts';
import { clausesOf, stem, termsOfClauses } from '../../../../lambdas/domain/work-orders/text-terms.ts';
import {
  evaluationProblems,
  pastWorkOrders,
  serviceTypeCatalogue,
} from '../../../fixtures/problem-descriptions.ts';

const aServiceType = (overrides: Partial<CatalogueServiceType> = {}): CatalogueServiceType => ({
  serviceTypeId: 'svc_drain_cleaning',
  name: 'Drain Cleaning',
  keywords: ['clogged drain'],
  ...overrides,
});

const idsOf = (suggestions: ServiceTypeSuggestion[]): string[] =>
  suggestions.map((suggestion) => suggestion.serviceTypeId);

const termsOf = (text: string): string[] => termsOfClauses(clausesOf(text)).map((term) => term.term);

describe('service-type suggester', () => {
  const fromCatalogue = buildServiceTypeSuggester(serviceTypeCatalogue);
  const fromHistory = buildServiceTypeSuggester(serviceTypeCatalogue, pastWorkOrders);

  describe('ranking and explanation', () => {
    it('when the water heater pilot will not stay lit, it ranks water heater first and says which words did it', () => {
      // Arrange
      const description = "Water heater pilot won't stay lit";

      // Act
      const [first, ...others] = fromHistory.suggest(description);

      // Assert
      expect(first?.serviceTypeId).toBe('svc_water_heater');
      expect(first?.matchedTerms.map((matched) => matched.text)).toEqual(
        expect.arrayContaining(['Water heater', 'pilot']),
      );
      for (const matched of first?.matchedTerms ?? []) {
        expect(description).toContain(matched.text);
        expect(matched.points).toBeGreaterThan(0);
      }
      expect(others.every((other) => other.score <= first!.score)).toBe(true);
    });

    it('when a keyword is a phrase, the phrase in the description counts as one more term', () => {
      // Arrange
      const description = 'we have no hot water';

      // Act
      const [first] = fromCatalogue.suggest(description);

      // Assert
      expect(first?.serviceTypeId).toBe('svc_water_heater');
      expect(first?.matchedTerms).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ term: 'hot water', text: 'hot water', sources: ['catalogue'] }),
          expect.objectContaining({ term: 'no hot', text: 'no hot', sources: ['catalogue'] }),
        ]),
      );
    });

    it('when the words of a phrase are not next to each other, the phrase does not count', () => {
      // Arrange
      const suggester = buildServiceTypeSuggester([aServiceType({ keywords: ['hot water'] })]);

      // Act
      const [together] = suggester.suggest('no hot water');
      const [apart] = suggester.suggest('the water is hot');

      // Assert
      expect(together?.matchedTerms.map((matched) => matched.term)).toContain('hot water');
      expect(apart?.matchedTerms.map((matched) => matched.term)).not.toContain('hot water');
      expect(apart!.score).toBeLessThan(together!.score);
    });

    it('when it explains a type, it says whether the term came from the catalogue, the history or both', () => {
      // Act
      const [first] = fromHistory.suggest('scratching noises above the ceiling, and I saw mice');

      // Assert
      expect(first?.serviceTypeId).toBe('svc_pest_control');
      const sourcesByTerm = Object.fromEntries(
        first!.matchedTerms.map((matched) => [matched.term, matched.sources]),
      );
      expect(sourcesByTerm.scratch).toEqual(['history']);
      expect(sourcesByTerm.mous).toEqual(['catalogue', 'history']);
    });

    it('when several types match, it returns the top three with confidences in [0, 1] that sum to at most 1', () => {
      // Act
      const suggestions = fromHistory.suggest('AC is leaking water and the breaker tripped');

      // Assert
      expect(suggestions).toHaveLength(3);
      const confidences = suggestions.map((suggestion) => suggestion.confidence);
      for (const confidence of confidences) {
        expect(confidence).toBeGreaterThan(0);
        expect(confidence).toBeLessThanOrEqual(1);
      }
      expect(confidences.reduce((sum, confidence) => sum + confidence, 0)).toBeLessThanOrEqual(1.001);
      expect(confidences).toEqual([...confidences].sort((first, second) => second - first));
    });

    it('when asked for a number of suggestions, it returns at most that many', () => {
      // Act
      const one = fromHistory.suggest('AC is leaking water and the breaker tripped', { limit: 1 });
      const none = fromHistory.suggest('AC is leaking water and the breaker tripped', { limit: 0 });

      // Assert
      expect(one).toHaveLength(1);
      expect(none).toEqual([]);
    });
  });

  describe('reading the customer’s words', () => {
    it('when a word is inflected, it matches its stem: leaks, leaking, leaked and leaky are one term', () => {
      // Arrange
      const descriptions = ['the tank leaks', 'tank is leaking', 'tank leaked overnight', 'leaky tank'];

      // Act
      const firsts = descriptions.map((description) => fromCatalogue.suggest(description)[0]);

      // Assert
      for (const first of firsts) {
        expect(first?.serviceTypeId).toBe('svc_water_heater');
        expect(first?.matchedTerms.map((matched) => matched.term)).toContain('leak');
      }
      expect(['breakers', 'tripping', 'tripped', 'clogged', 'ants', 'mice', 'frozen'].map(stem)).toEqual([
        'breaker',
        'trip',
        'trip',
        'clog',
        'ant',
        'mous',
        'freez',
      ]);
    });

    it('when a word carries accents or capitals, it matches the plain word and quotes the word as typed', () => {
      // Act
      const [first] = fromCatalogue.suggest('THÉRMOSTAT écran vide');

      // Assert
      expect(first?.serviceTypeId).toBe('svc_thermostat_install');
      expect(first?.matchedTerms[0]).toMatchObject({
        term: 'thermostat',
        text: 'THÉRMOSTAT',
        corrected: false,
      });
    });

    it('when a word is misspelled by one letter, it reads the known word and flags the correction', () => {
      // Act
      const [first] = fromCatalogue.suggest('the furnance is out');

      // Assert
      expect(first?.serviceTypeId).toBe('svc_furnace_repair');
      expect(first?.matchedTerms[0]).toMatchObject({ term: 'furnac', text: 'furnance', corrected: true });
    });

    it('when two known words are run together, it reads both, and their phrase', () => {
      // Act
      const [first] = fromCatalogue.suggest('the hotwater is gone');

      // Assert
      expect(first?.serviceTypeId).toBe('svc_water_heater');
      expect(first?.matchedTerms).toEqual(
        expect.arrayContaining(
          ['hot', 'water', 'hot water'].map((term) =>
            expect.objectContaining({ term, text: 'hotwater', corrected: true }),
          ),
        ),
      );
    });

    it('when it splits text into terms, stop words drop, negations join the next word and clauses end at punctuation', () => {
      // Act
      const terms = termsOf("The A/C doesn't cool. Breaker tripped");

      // Assert
      expect(terms).toEqual(['ac', 'ac no', 'no cool', 'cool', 'breaker', 'breaker trip', 'trip']);
    });
  });

  describe('edge cases', () => {
    it('when the tenant has no history, it suggests from the catalogue alone', () => {
      // Act
      const suggestions = buildServiceTypeSuggester(serviceTypeCatalogue, []).suggest(
        'breaker keeps tripping',
      );

      // Assert
      expect(suggestions[0]?.serviceTypeId).toBe('svc_electrical');
      const sources = suggestions.flatMap((suggestion) =>
        suggestion.matchedTerms.flatMap((matched) => matched.sources),
      );
      expect(new Set(sources)).toEqual(new Set(['catalogue']));
    });

    it.each([
      ['empty', ''],
      ['blank', '   \n\t'],
      ['punctuation', '?!?! ... ,,,'],
      ['stop words only', 'it is the one that we have'],
      ['numbers only', '555 0199 42'],
      ['keyboard mash', 'asdf qwerty zxcvb'],
    ])('when the description is %s, it suggests nothing and does not fail', (_, description) => {
      // Act
      const suggestions = fromHistory.suggest(description);

      // Assert
      expect(suggestions).toEqual([]);
    });

    it('when the catalogue is empty, it suggests nothing', () => {
      // Act
      const suggestions = buildServiceTypeSuggester([], pastWorkOrders).suggest('no hot water');

      // Assert
      expect(suggestions).toEqual([]);
    });

    it('when past jobs belong to a service type no longer in the catalogue, it ignores them', () => {
      // Arrange
      const history = [{ serviceTypeId: 'svc_retired', description: 'gutter cleaning' }];

      // Act
      const suggester = buildServiceTypeSuggester([aServiceType()], history);

      // Assert
      expect(suggester.suggest('gutter cleaning')).toEqual([
        expect.objectContaining({ serviceTypeId: 'svc_drain_cleaning' }),
      ]);
      expect(suggester.size.pastWorkOrders).toBe(0);
    });

    it('when two types score the same, it orders them by name, whatever the catalogue order', () => {
      // Arrange
      const zeta = aServiceType({
        serviceTypeId: 'svc_zeta',
        name: 'Zeta Drains',
        keywords: ['clogged drain'],
      });
      const alpha = aServiceType({
        serviceTypeId: 'svc_alpha',
        name: 'Alpha Drains',
        keywords: ['clogged drain'],
      });

      // Act
      const forwards = buildServiceTypeSuggester([zeta, alpha]).suggest('clogged drain');
      const backwards = buildServiceTypeSuggester([alpha, zeta]).suggest('clogged drain');

      // Assert
      expect(forwards[0]?.score).toBe(forwards[1]?.score);
      expect(idsOf(forwards)).toEqual(['svc_alpha', 'svc_zeta']);
      expect(idsOf(backwards)).toEqual(['svc_alpha', 'svc_zeta']);
    });

    it('when asked twice, it answers the same', () => {
      // Arrange
      const description = 'outlets dead and lights flicker, maybe the panel?';

      // Act
      const first = fromHistory.suggest(description);
      const second = fromHistory.suggest(description);

      // Assert
      expect(second).toEqual(first);
    });
  });

  describe('learning from history', () => {
    it('when only past jobs use the words of a description, the right type ranks first once history has them', () => {
      // Arrange
      const description = 'scratching sounds above the bedroom ceiling at night';

      // Act
      const before = fromCatalogue.suggest(description);
      const after = fromHistory.suggest(description);

      // Assert
      expect(idsOf(before)).not.toContain('svc_pest_control');
      expect(after[0]?.serviceTypeId).toBe('svc_pest_control');
      expect(after[0]?.matchedTerms.map((matched) => matched.term)).toContain('scratch');
    });

    it('when a type has more past jobs using a word, the word weighs more for that type', () => {
      // Arrange
      const catalogue = [aServiceType({ keywords: ['drain'] })];
      const oneJob = [{ serviceTypeId: 'svc_drain_cleaning', description: 'roots in the sewer' }];
      const manyJobs = Array.from({ length: 20 }, () => oneJob[0]!);

      // Act
      const [fromOne] = buildServiceTypeSuggester(catalogue, oneJob).suggest('roots');
      const [fromMany] = buildServiceTypeSuggester(catalogue, manyJobs).suggest('roots');

      // Assert
      expect(fromMany!.score).toBeGreaterThan(fromOne!.score);
    });
  });

  describe('accuracy on new calls', () => {
    /** For each labelled call, the rank of the expected type among the suggestions, -1 when absent. */
    const ranksOfExpectedTypes = (): number[] =>
      evaluationProblems.map((problem) =>
        idsOf(fromHistory.suggest(problem.description)).indexOf(problem.expectedServiceTypeId),
      );
    const shareOf = (ranks: number[], isHit: (rank: number) => boolean): number =>
      ranks.filter(isHit).length / ranks.length;

    it('when the calls are measured, none of them is a past job', () => {
      // Arrange
      const pastDescriptions = new Set(
        pastWorkOrders.map((workOrder) => workOrder.description.toLowerCase()),
      );

      // Assert
      expect(evaluationProblems.length).toBeGreaterThanOrEqual(40);
      for (const problem of evaluationProblems) {
        expect(pastDescriptions.has(problem.description.toLowerCase())).toBe(false);
      }
    });

    it('when suggesting for the labelled calls, the first suggestion is right at least 90% of the time', () => {
      // Act
      const ranks = ranksOfExpectedTypes();

      // Assert
      expect(shareOf(ranks, (rank) => rank === 0)).toBeGreaterThanOrEqual(0.9);
    });

    it('when suggesting for the labelled calls, the right type is in the top three at least 97% of the time', () => {
      // Act
      const ranks = ranksOfExpectedTypes();

      // Assert
      expect(shareOf(ranks, (rank) => rank >= 0 && rank < 3)).toBeGreaterThanOrEqual(0.97);
    });
  });
});
