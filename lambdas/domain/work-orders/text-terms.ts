/**
 * Turns free text (a customer's problem description, a catalogue keyword, a past job's
 * description) into the terms the service-type suggester counts.
 *
 * Steps, in order:
 * 1. Words are read from the original text, so every term can point back at the words the
 *    customer typed. Sentence and list punctuation (`. , ; : ! ? ( )` and line breaks) ends a
 *    clause; two-word phrases never span a clause.
 * 2. Each word is lowercased, accents are stripped (`thermostát` → `thermostat`), apostrophes
 *    and the slash of `a/c` dropped (`won't` → `wont`, `a/c` → `ac`).
 * 3. Negations (`no`, `not`, `won't`, `doesn't`, …) become the single word `no`. They only
 *    count inside a phrase (`no heat`, `no hot water`): on their own they say nothing about
 *    the trade.
 * 4. English stop words and bare numbers are dropped.
 * 5. A light stemmer folds plural, `-ing`, `-ed`, `-y`, `-ation`, `-ction`, `-ption` and a final `-e`,
 *    so `leaking`, `leaks`, `leaked`, `leaky` and `leak` are one term (`leak`), as are
 *    `freeze`/`freezing` and `inspect`/`inspection`.
 * 6. Terms are the stems (unigrams) and each pair of neighbouring words of a clause
 *    (bigrams, `hot water`), stop words skipped.
 */

/** One content word of a text: its stem, and where the customer typed it. */
export interface Word {
  stem: string;
  /** Negations take part in phrases only. */
  negation: boolean;
  start: number;
  end: number;
}

/** A unigram (`leak`) or bigram (`hot water`) with the span of text it was read from. */
export interface Term {
  term: string;
  start: number;
  end: number;
}

/** The stem every negation is folded into. */
export const NEGATION_STEM = 'no';

const NEGATIONS = new Set([
  'no',
  'not',
  'never',
  'none',
  'nothing',
  'without',
  'cannot',
  'cant',
  'wont',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'hasnt',
  'havent',
  'hadnt',
  'couldnt',
  'wouldnt',
  'shouldnt',
  'aint',
]);

// Function words of English plus the small talk of a phone call; none of them tells one
// trade from another.
const STOP_WORDS = new Set(
  `a about above after again against all almost also am an and any anyone anything are around as at
   be because been before being below between both but by can could did do does doing done down
   during each either else even ever every few for from further get gets getting got had has have
   having he her here hers herself him himself his how i id ill im ive if in into is it its itself
   just let lets me might more most much must my myself now of off on once one only or other our
   ours ourselves out over own please pretty quite rather really same she should since so some
   someone something still such than thank thanks that thats the their theirs them themselves then
   there theres these they theyre this those though through to too under until up upon us very
   was we were weve what whats when where whether which while who whom why will with would yet you
   your youre yours yourself yourselves hi hello hey ok okay yes yeah um uh`.split(/\s+/),
);

/** Irregular forms the suffix rules cannot reach. */
const IRREGULAR_FORMS = new Map([
  ['mice', 'mouse'],
  ['froze', 'freeze'],
  ['frozen', 'freeze'],
  ['broke', 'break'],
  ['broken', 'break'],
  ['teeth', 'tooth'],
  ['lice', 'louse'],
]);

const WORD_OR_BREAK =
  /(?<![\p{L}\p{N}])\p{L}\/\p{L}(?![\p{L}\p{N}])|[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*|[.,;:!?()[\]\n\r]+/gu;
const CLAUSE_BREAK = /^[.,;:!?()[\]\n\r]/u;
const HAS_LETTER = /\p{L}/u;
const PLAIN_WORD = /^[a-z0-9]+$/;
const VOWEL = /[aeiouy]/;

/** Lowercase, without accents, apostrophes or the slash of `a/c`. */
export function normalizeWord(raw: string): string {
  const lowercase = raw.toLowerCase();
  if (PLAIN_WORD.test(lowercase)) return lowercase;
  return lowercase.normalize('NFKD').replace(/\p{M}/gu, '').replace(/['’/]/g, '');
}

export function isStopWord(normalized: string): boolean {
  return STOP_WORDS.has(normalized);
}

export function isNegation(normalized: string): boolean {
  return NEGATIONS.has(normalized);
}

/**
 * Light suffix stemming. Not a full Porter stemmer: it only folds the inflections a caller
 * varies (plural, `-ing`, `-ed`, adjective `-y`), the nouns of verbs (`installation`,
 * `inspection`) and a final `-e`, and keeps words of three letters or fewer as they are
 * (`gas`, `ac`, `bee`).
 */
export function stem(normalized: string): string {
  let word = IRREGULAR_FORMS.get(normalized) ?? normalized;
  if (word.length <= 3) return word;

  if (word.endsWith('ies') && word.length > 4) word = `${word.slice(0, -3)}y`;
  else if (word.endsWith('sses')) word = word.slice(0, -2);
  else if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);

  if (word.endsWith('ied') && word.length > 4) word = `${word.slice(0, -3)}y`;
  else if (word.endsWith('ing')) word = stripSuffix(word, 3);
  else if (word.endsWith('ed') && !word.endsWith('eed')) word = stripSuffix(word, 2);

  if (word.endsWith('ation')) word = stripSuffix(word, 5);
  else if (/[cp]tion$/.test(word)) word = stripSuffix(word, 3);

  if (word.length > 4 && /[^aeiouy]y$/.test(word)) word = undouble(word.slice(0, -1));
  if (word.length > 3 && word.endsWith('e')) word = word.slice(0, -1);
  return word;
}

/** Removes a verb suffix when a real stem (three letters, one vowel) stays behind. */
function stripSuffix(word: string, suffixLength: number): string {
  const base = word.slice(0, -suffixLength);
  return base.length >= 3 && VOWEL.test(base) ? undouble(base) : word;
}

/** `tripp` → `trip`, `clogg` → `clog`; but `smell`, `buzz` and `grass` keep their pair. */
function undouble(word: string): string {
  const last = word.at(-1);
  return last && last === word.at(-2) && !/[aeiouylsz]/.test(last) ? word.slice(0, -1) : word;
}

/** The clauses of a text, each the list of its content words in order. */
export function clausesOf(text: string): Word[][] {
  const clauses: Word[][] = [];
  let clause: Word[] = [];
  for (const match of text.matchAll(WORD_OR_BREAK)) {
    const raw = match[0];
    if (CLAUSE_BREAK.test(raw)) {
      if (clause.length > 0) clauses.push(clause);
      clause = [];
      continue;
    }
    const normalized = normalizeWord(raw);
    const start = match.index;
    const end = start + raw.length;
    if (isNegation(normalized)) {
      clause.push({ stem: NEGATION_STEM, negation: true, start, end });
    } else if (normalized.length >= 2 && HAS_LETTER.test(normalized) && !isStopWord(normalized)) {
      clause.push({ stem: stem(normalized), negation: false, start, end });
    }
  }
  if (clause.length > 0) clauses.push(clause);
  return clauses;
}

/** Unigrams and bigrams of the clauses, in reading order (a term may repeat). */
export function termsOfClauses(clauses: readonly (readonly Word[])[]): Term[] {
  const terms: Term[] = [];
  for (const clause of clauses) {
    clause.forEach((word, index) => {
      if (!word.negation) terms.push({ term: word.stem, start: word.start, end: word.end });
      const next = clause[index + 1];
      if (next && !(word.negation && next.negation)) {
        terms.push({ term: `${word.stem} ${next.stem}`, start: word.start, end: next.end });
      }
    });
  }
  return terms;
}

/** The distinct terms of a text: how catalogue entries and past jobs are indexed. */
export function distinctTermsOf(text: string): Set<string> {
  return new Set(termsOfClauses(clausesOf(text)).map((term) => term.term));
}
