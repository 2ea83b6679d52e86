import { clausesOf, distinctTermsOf, isStopWord, stem, termsOfClauses, type Word } from './text-terms.ts';

/**
 * Suggests service types for a problem described in the customer's words, and says why.
 *
 * The score is BM25F (BM25 over documents with weighted fields). Each service type is one
 * document with two fields: its catalogue entry (name and keywords) and its past jobs. Each
 * distinct term of the description adds to each type that holds it
 *
 *     points = termWeight × idf × f × (k1 + 1) / (f + k1)
 *     f      = catalogueWeight × c / (1 − b + b × catalogueLength / averageCatalogueLength)
 *            + historyWeight × jobsWithTerm / (jobs + historyPriorJobs)
 *
 * - `c` counts the catalogue entries of the type that hold the term; a single word of a
 *   phrase keyword counts `phraseWordWeight` (`heat pump` is about heat pumps, less about
 *   heat). `b` keeps a long keyword list from winning by its length alone.
 * - The history field is the share of the type's past jobs whose description holds the
 *   term, not a raw count: a thousand jobs do not drown a curated keyword, and a score means
 *   the same for a tenant with fifty jobs or fifty thousand. `historyPriorJobs` pseudo-jobs
 *   keep a type with two jobs from speaking as loud as one with two hundred. A keyword
 *   counts as much as a word that every past job of the type uses; only the trade's own
 *   name (`thermostat`) comes near that, so the curated catalogue weighs more.
 * - `idf` is BM25's `ln(1 + (N − n + 0.5) / (n + 0.5))` over the N service types. A type
 *   counts towards `n` fully when its catalogue lists the term, otherwise in proportion to
 *   how often its past jobs use it compared with the type whose jobs use it most. A word
 *   every trade hears (`customer`, `working`) is worth little, a word that names a trade
 *   (`breaker`, `roach`) a lot, however many jobs there are: counting jobs instead would
 *   make every word rarer as history grows, and common trades' words look unimportant.
 * - `k1` saturates the frequency: holding a term at all matters more than holding it often.
 * - `termWeight` is 1 for a word and `bigramWeight` for a two-word phrase, whose words have
 *   already counted on their own: the phrase is a bonus for the words standing together.
 *
 * Terms are stems and two-word phrases (see `text-terms.ts`). A word that the tenant's
 * vocabulary does not know is read as two known words run together (`checkup`), or else as
 * the known word one typing slip away (`furnance` → `furnace`), and earns
 * `misspellingWeight` of its points.
 *
 * All statistics are computed once, by `buildServiceTypeSuggester`; a suggestion looks up
 * the description's terms only, so its cost depends on the description, not on history.
 * The weights were compared by leave-one-out over past jobs (each job suggested from all
 * the others), not on the labelled calls that accuracy is measured with.
 */

export interface CatalogueServiceType {
  serviceTypeId: string;
  name: string;
  /** Words or phrases that call for this service type (`no hot water`, `breaker`). */
  keywords: string[];
}

export interface PastWorkOrder {
  serviceTypeId: string;
  description: string;
}

export type TermSource = 'catalogue' | 'history';

export interface MatchedTerm {
  /** The indexed term: a stem (`leak`) or a two-word phrase (`hot water`). */
  term: string;
  /** The words of the description it was read from, as typed (`leaking`, `won't stay lit`). */
  text: string;
  /** Where this service type knows the term from: its name and keywords, its past jobs, or both. */
  sources: TermSource[];
  /** What the term added to the score. */
  points: number;
  /** True when the customer's word was read as a misspelling or a run-together of `term`. */
  corrected: boolean;
}

export interface ServiceTypeSuggestion {
  serviceTypeId: string;
  name: string;
  /** Sum of the points of the matched terms. Comparable between types for one description. */
  score: number;
  /** This type's share, in [0, 1], of the score of every type that matched the description. */
  confidence: number;
  /** The terms of the description that contributed, most points first. */
  matchedTerms: MatchedTerm[];
}

export interface SuggesterTuning {
  /** BM25 frequency saturation. */
  k1: number;
  /** BM25 length normalisation of the catalogue field. */
  b: number;
  /** Weight of one catalogue entry (the name or a keyword) holding the term. */
  catalogueWeight: number;
  /** What a single word of a phrase keyword counts for, as a fraction of an entry. */
  phraseWordWeight: number;
  /** Weight of a term that every past job of the type uses. */
  historyWeight: number;
  /** Pseudo-jobs added to each type's number of jobs before taking shares. */
  historyPriorJobs: number;
  /** Points of a two-word phrase, as a fraction of a word's. */
  bigramWeight: number;
  /** Points of a corrected word, as a fraction of a word typed right. */
  misspellingWeight: number;
}

export const defaultSuggesterTuning: Readonly<SuggesterTuning> = {
  k1: 1.2,
  b: 0.75,
  catalogueWeight: 2,
  phraseWordWeight: 0.5,
  historyWeight: 2,
  historyPriorJobs: 5,
  bigramWeight: 0.5,
  misspellingWeight: 0.8,
};

export interface SuggestOptions {
  /** How many service types to return at most; 3 unless told. */
  limit?: number;
}

export interface ServiceTypeSuggester {
  suggest(description: string, options?: SuggestOptions): ServiceTypeSuggestion[];
  /** What the index was built from, for logs and measurements. */
  readonly size: { serviceTypes: number; pastWorkOrders: number; terms: number };
}

interface Posting {
  typeIndex: number;
  points: number;
  sources: TermSource[];
}

/** How one service type holds one term. */
interface Holding {
  typeIndex: number;
  /** Catalogue entries holding the term (a phrase keyword's single word counts a fraction). */
  catalogueEntries: number;
  /** Past jobs whose description holds the term. */
  jobs: number;
}

const DEFAULT_LIMIT = 3;

/**
 * Builds the index of one tenant's catalogue and history. Build once and keep it (a warm
 * Lambda keeps it between calls); rebuild when the catalogue changes or history has grown.
 * Past jobs of service types no longer in the catalogue are ignored; of two catalogue
 * entries with the same id, the first is kept.
 */
export function buildServiceTypeSuggester(
  catalogue: readonly CatalogueServiceType[],
  history: readonly PastWorkOrder[] = [],
  tuning: Partial<SuggesterTuning> = {},
): ServiceTypeSuggester {
  const settings: SuggesterTuning = { ...defaultSuggesterTuning, ...tuning };
  const serviceTypes = distinctById(catalogue);
  const catalogueTerms = serviceTypes.map((serviceType) => catalogueTermsOf(serviceType, settings));
  const { jobsWithTerm, jobsPerType, pastWorkOrders } = historyTermsOf(serviceTypes, history);
  const catalogueLengths = catalogueTerms.map((terms) => terms.length);
  const averageCatalogueLength =
    catalogueLengths.reduce((sum, length) => sum + length, 0) / serviceTypes.length || 1;

  const holdings = new Map<string, Holding[]>();
  const holdingOf = (term: string, typeIndex: number): Holding => {
    let termHoldings = holdings.get(term);
    if (!termHoldings) {
      termHoldings = [];
      holdings.set(term, termHoldings);
    }
    let holding = termHoldings.find((candidate) => candidate.typeIndex === typeIndex);
    if (!holding) {
      holding = { typeIndex, catalogueEntries: 0, jobs: 0 };
      termHoldings.push(holding);
    }
    return holding;
  };
  catalogueTerms.forEach((terms, typeIndex) => {
    for (const [term, entries] of terms.entriesWithTerm)
      holdingOf(term, typeIndex).catalogueEntries = entries;
  });
  jobsWithTerm.forEach((terms, typeIndex) => {
    for (const [term, jobs] of terms) holdingOf(term, typeIndex).jobs = jobs;
  });

  const historyShare = (holding: Holding): number =>
    holding.jobs / ((jobsPerType[holding.typeIndex] ?? 0) + settings.historyPriorJobs);

  const postingsOf = (term: string, termHoldings: readonly Holding[]): Posting[] => {
    const highestShare = Math.max(...termHoldings.map(historyShare));
    const holders = termHoldings.reduce(
      (sum, holding) =>
        sum +
        Math.max(
          Math.min(1, holding.catalogueEntries),
          highestShare > 0 ? historyShare(holding) / highestShare : 0,
        ),
      0,
    );
    const inverseDocumentFrequency = Math.log(1 + (serviceTypes.length - holders + 0.5) / (holders + 0.5));
    const termWeight = isBigram(term) ? settings.bigramWeight : 1;
    return termHoldings.map((holding) => {
      const lengthRatio = (catalogueLengths[holding.typeIndex] ?? 0) / averageCatalogueLength;
      const frequency =
        (settings.catalogueWeight * holding.catalogueEntries) / (1 - settings.b + settings.b * lengthRatio) +
        settings.historyWeight * historyShare(holding);
      const sources: TermSource[] = [];
      if (holding.catalogueEntries > 0) sources.push('catalogue');
      if (holding.jobs > 0) sources.push('history');
      return {
        typeIndex: holding.typeIndex,
        sources,
        points:
          (termWeight * inverseDocumentFrequency * frequency * (settings.k1 + 1)) / (frequency + settings.k1),
      };
    });
  };

  const postings = new Map<string, Posting[]>();
  const documentCounts = new Map<string, number>();
  for (const [term, termHoldings] of holdings) {
    postings.set(term, postingsOf(term, termHoldings));
    if (!isBigram(term)) {
      documentCounts.set(
        term,
        termHoldings.reduce((sum, holding) => sum + holding.catalogueEntries + holding.jobs, 0),
      );
    }
  }
  const vocabulary = new SpellingVocabulary(documentCounts);

  function suggest(description: string, options: SuggestOptions = {}): ServiceTypeSuggestion[] {
    const limit = Math.floor(options.limit ?? DEFAULT_LIMIT);
    if (limit <= 0) return [];

    const clauses = clausesOf(description).map((clause) => clause.flatMap((word) => vocabulary.read(word)));
    const corrected = new Set(clauses.flat().filter((word) => word.corrected));
    const seen = new Set<string>();
    const scores = new Map<number, { score: number; matchedTerms: MatchedTerm[] }>();
    for (const { term, start, end } of termsOfClauses(clauses)) {
      if (seen.has(term)) continue;
      seen.add(term);
      const termPostings = postings.get(term);
      if (!termPostings) continue;
      const isCorrected = [...corrected].some((word) => word.start >= start && word.end <= end);
      const weight = isCorrected ? settings.misspellingWeight : 1;
      for (const posting of termPostings) {
        const points = posting.points * weight;
        const entry = scores.get(posting.typeIndex) ?? { score: 0, matchedTerms: [] };
        entry.score += points;
        entry.matchedTerms.push({
          term,
          text: description.slice(start, end),
          sources: posting.sources,
          points,
          corrected: isCorrected,
        });
        scores.set(posting.typeIndex, entry);
      }
    }

    const totalScore = [...scores.values()].reduce((sum, entry) => sum + entry.score, 0);
    return [...scores]
      .map(([typeIndex, entry]) => {
        const serviceType = serviceTypes[typeIndex]!;
        return {
          serviceTypeId: serviceType.serviceTypeId,
          name: serviceType.name,
          score: round(entry.score, 4),
          confidence: round(entry.score / totalScore, 3),
          matchedTerms: entry.matchedTerms
            .map((matched) => ({ ...matched, points: round(matched.points, 4) }))
            .sort((first, second) => second.points - first.points || compareText(first.term, second.term)),
        };
      })
      .sort(
        (first, second) =>
          second.score - first.score ||
          compareText(first.name, second.name) ||
          compareText(first.serviceTypeId, second.serviceTypeId),
      )
      .slice(0, limit);
  }

  return {
    suggest,
    size: { serviceTypes: serviceTypes.length, pastWorkOrders, terms: postings.size },
  };
}

interface ReadWord extends Word {
  corrected: boolean;
}

const SHORTEST_CORRECTABLE_STEM = 5;
const SHORTEST_RUN_TOGETHER_STEM = 6;

/**
 * The tenant's single-word terms, to read a word it does not know as one it does: two known
 * words run together (`checkup`, `hotwater`), or else the known word one typing slip away
 * (a letter added, missing or changed, or two neighbours swapped). Only words of five
 * letters or more are corrected, and only to a word with the same first letter: shorter
 * words and other initials are too often other real words (`hear` is not `heat`, `night` is
 * not `light`). Among several candidates the most common wins, then the first
 * alphabetically. Candidates come from an index of every known word with each of its
 * letters deleted in turn, so a look-up never walks the vocabulary.
 */
class SpellingVocabulary {
  private readonly byOneLetterDeleted = new Map<string, string[]>();

  constructor(private readonly documentCounts: ReadonlyMap<string, number>) {
    for (const word of documentCounts.keys()) {
      if (word.length < SHORTEST_CORRECTABLE_STEM) continue;
      for (const key of new Set([word, ...oneLetterDeletions(word)])) {
        const words = this.byOneLetterDeleted.get(key);
        if (words) words.push(word);
        else this.byOneLetterDeleted.set(key, [word]);
      }
    }
  }

  /** The word as the index knows it: itself, or its correction into one or two known words. */
  read(word: Word): ReadWord[] {
    if (word.negation || this.documentCounts.has(word.stem)) return [{ ...word, corrected: false }];
    const stems = this.splitRunTogether(word.stem) ?? this.nearestSpelling(word.stem);
    if (!stems) return [{ ...word, corrected: false }];
    return stems.map((knownStem) => ({ ...word, stem: knownStem, corrected: true }));
  }

  private splitRunTogether(unknownStem: string): string[] | undefined {
    if (unknownStem.length < SHORTEST_RUN_TOGETHER_STEM) return undefined;
    for (let cut = 2; cut <= unknownStem.length - 2; cut += 1) {
      const parts = [unknownStem.slice(0, cut), unknownStem.slice(cut)].map((part) => this.knownStemOf(part));
      if (parts.some((part) => part === undefined)) continue;
      const stems = parts.filter((part): part is string => Boolean(part));
      if (stems.length > 0) return stems;
    }
    return undefined;
  }

  /** The known stem of a fragment, `''` for a stop word, undefined when unknown. */
  private knownStemOf(fragment: string): string | undefined {
    if (isStopWord(fragment)) return '';
    if (this.documentCounts.has(fragment)) return fragment;
    const stemmed = stem(fragment);
    return this.documentCounts.has(stemmed) ? stemmed : undefined;
  }

  private nearestSpelling(unknownStem: string): string[] | undefined {
    if (unknownStem.length < SHORTEST_CORRECTABLE_STEM) return undefined;
    const candidates = new Set<string>();
    for (const key of [unknownStem, ...oneLetterDeletions(unknownStem)]) {
      for (const word of this.byOneLetterDeleted.get(key) ?? []) {
        if (word[0] === unknownStem[0] && isOneEditApart(unknownStem, word)) candidates.add(word);
      }
    }
    const [best] = [...candidates].sort(
      (first, second) =>
        (this.documentCounts.get(second) ?? 0) - (this.documentCounts.get(first) ?? 0) ||
        compareText(first, second),
    );
    return best ? [best] : undefined;
  }
}

function oneLetterDeletions(word: string): string[] {
  return Array.from(word, (_, index) => word.slice(0, index) + word.slice(index + 1));
}

/** One letter inserted, deleted or replaced, or two neighbouring letters swapped. */
function isOneEditApart(first: string, second: string): boolean {
  if (first === second) return false;
  const [shorter, longer] = first.length <= second.length ? [first, second] : [second, first];
  if (longer.length - shorter.length > 1) return false;
  let index = 0;
  while (index < shorter.length && shorter[index] === longer[index]) index += 1;
  if (shorter.length === longer.length) {
    const swapped =
      shorter[index] === longer[index + 1] &&
      shorter[index + 1] === longer[index] &&
      shorter.slice(index + 2) === longer.slice(index + 2);
    return swapped || shorter.slice(index + 1) === longer.slice(index + 1);
  }
  return shorter.slice(index) === longer.slice(index + 1);
}

/** Each term of the type's name and keywords with the entries holding it, and how many terms they have. */
function catalogueTermsOf(serviceType: CatalogueServiceType, settings: SuggesterTuning) {
  const entriesWithTerm = new Map<string, number>();
  let length = 0;
  for (const entry of [serviceType.name, ...serviceType.keywords]) {
    const terms = distinctTermsOf(entry);
    const isPhrase = [...terms].some(isBigram);
    for (const term of terms) {
      const weight = isPhrase && !isBigram(term) ? settings.phraseWordWeight : 1;
      entriesWithTerm.set(term, (entriesWithTerm.get(term) ?? 0) + weight);
      length += 1;
    }
  }
  return { entriesWithTerm, length };
}

/** Per service type, each term of its past jobs with the number of jobs holding it. */
function historyTermsOf(serviceTypes: readonly CatalogueServiceType[], history: readonly PastWorkOrder[]) {
  const typeIndexById = new Map(serviceTypes.map((serviceType, index) => [serviceType.serviceTypeId, index]));
  const jobsWithTerm = serviceTypes.map(() => new Map<string, number>());
  const jobsPerType = serviceTypes.map(() => 0);
  let pastWorkOrders = 0;
  for (const workOrder of history) {
    const typeIndex = typeIndexById.get(workOrder.serviceTypeId);
    if (typeIndex === undefined) continue;
    jobsPerType[typeIndex] = (jobsPerType[typeIndex] ?? 0) + 1;
    pastWorkOrders += 1;
    const terms = jobsWithTerm[typeIndex]!;
    for (const term of distinctTermsOf(workOrder.description)) terms.set(term, (terms.get(term) ?? 0) + 1);
  }
  return { jobsWithTerm, jobsPerType, pastWorkOrders };
}

function isBigram(term: string): boolean {
  return term.includes(' ');
}

function distinctById(catalogue: readonly CatalogueServiceType[]): CatalogueServiceType[] {
  const seen = new Set<string>();
  return catalogue.filter((serviceType) => {
    if (seen.has(serviceType.serviceTypeId)) return false;
    seen.add(serviceType.serviceTypeId);
    return true;
  });
}

function compareText(first: string, second: string): number {
  return first.localeCompare(second, 'en');
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
