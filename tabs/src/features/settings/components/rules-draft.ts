/**
 * The settings form's model: the configured rules as the admin edits them (text in inputs,
 * weights in percent, lists one entry per line) and the checks that name what to fix before
 * anything is sent. Pure; the API checks the same again (contract/config.ts `rulesSchema`).
 */
import type { SavedConfig } from '../../../lib/api-types';

export type Rules = SavedConfig['rules'];
export const WEIGHT_KEYS = ['emails', 'meetings', 'breadth', 'recency', 'reciprocity'] as const;
export type WeightKey = (typeof WEIGHT_KEYS)[number];

/** DESIGN.md §3–§4 defaults; tests/api/rules.test.ts checks they match the API's DEFAULT_RULES. */
export const DEFAULT_STALE_DAYS = 60;
export const DEFAULT_WEIGHTS: Record<WeightKey, number> = { emails: 0.3, meetings: 0.3, breadth: 0.15, recency: 0.15, reciprocity: 0.1 };
export const MAX_STALE_DAYS = 365;
/** engagement/row-privacy.ts MAX_MINIMUM_COLLEAGUES. */
export const MAX_MINIMUM_COLLEAGUES = 100;
export const MAX_DOMAINS = 200;
export const MAX_EXCLUSIONS = 2000;

// The API's patterns (contract/config.ts), so a line the form accepts is a line the API accepts.
const DOMAIN = /^@?[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const EXCLUSION = /^([^\s@]+@)?@?[a-z0-9-]+(\.[a-z0-9-]+)+$/;

export interface RulesDraft {
  staleDays: string;
  upcomingMeetingSuppressesStale: boolean;
  /** Percent, as typed. */
  weights: Record<WeightKey, string>;
  /** One entry per line. */
  extraInternalDomains: string;
  exclusions: string;
  minimumColleagues: string;
}

/** A share (0.15) as the percent an admin reads (15); two decimals at most. */
function toPercent(share: number): string {
  return String(Math.round(share * 10_000) / 100);
}

export function draftFrom(rules: Rules): RulesDraft {
  return {
    staleDays: String(rules.staleDays),
    upcomingMeetingSuppressesStale: rules.upcomingMeetingSuppressesStale,
    weights: Object.fromEntries(WEIGHT_KEYS.map((k) => [k, toPercent(rules.weights[k])])) as Record<WeightKey, string>,
    extraInternalDomains: rules.extraInternalDomains.join('\n'),
    exclusions: rules.exclusions.join('\n'),
    minimumColleagues: String(rules.minimumColleagues),
  };
}

export type NumberProblem = 'notWhole' | 'tooSmall' | 'tooLarge';
export type WeightProblem = 'notNumber' | 'outOfRange';
export interface LineProblem {
  /** 1-based, as the admin counts lines. */
  line: number;
  text: string;
}
export interface DraftProblems {
  staleDays: NumberProblem | null;
  weights: Partial<Record<WeightKey, WeightProblem>>;
  /** The sum in percent when it is not 100; null when it is (or when a weight is unreadable). */
  weightsSum: number | null;
  extraInternalDomains: LineProblem[];
  /** More entries than the API keeps. */
  tooManyDomains: boolean;
  exclusions: LineProblem[];
  tooManyExclusions: boolean;
  minimumColleagues: NumberProblem | null;
}

function wholeNumber(text: string, min: number, max: number): { value: number | null; problem: NumberProblem | null } {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return { value: null, problem: 'notWhole' };
  const value = Number(trimmed);
  if (value < min) return { value: null, problem: 'tooSmall' };
  if (value > max) return { value: null, problem: 'tooLarge' };
  return { value, problem: null };
}

/** A weight in percent: a number from 0 to 100, comma or dot as decimal separator. */
export function parsePercent(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** The sum of the weights in percent, rounded to two decimals; null while one is unreadable. */
export function weightSum(weights: Record<WeightKey, string>): number | null {
  let sum = 0;
  for (const k of WEIGHT_KEYS) {
    const p = parsePercent(weights[k]);
    if (p === null) return null;
    sum += p;
  }
  return Math.round(sum * 100) / 100;
}

/** The non-empty lines, trimmed and lower-cased, with their 1-based line numbers. */
function lines(text: string): { line: number; text: string }[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, text: raw.trim().toLowerCase() }))
    .filter((l) => l.text !== '');
}

/** Entries without repeats, in the order typed (a repeat changes nothing, so it is dropped rather than refused). */
function unique(entries: string[]): string[] {
  return [...new Set(entries)];
}

/** Every problem of the draft, and the rules to send when there is none. */
export function checkDraft(draft: RulesDraft): { problems: DraftProblems; rules: Rules | null } {
  const staleDays = wholeNumber(draft.staleDays, 1, MAX_STALE_DAYS);
  const minimumColleagues = wholeNumber(draft.minimumColleagues, 1, MAX_MINIMUM_COLLEAGUES);
  const weights: DraftProblems['weights'] = {};
  for (const k of WEIGHT_KEYS) {
    const p = parsePercent(draft.weights[k]);
    if (p === null) weights[k] = 'notNumber';
    else if (p > 100) weights[k] = 'outOfRange';
  }
  const sum = weightSum(draft.weights);
  const domainLines = lines(draft.extraInternalDomains);
  const exclusionLines = lines(draft.exclusions);
  const domains = unique(domainLines.map((l) => l.text.replace(/^@/, '')));
  const exclusions = unique(exclusionLines.map((l) => l.text));
  const problems: DraftProblems = {
    staleDays: staleDays.problem,
    weights,
    weightsSum: sum !== null && Math.abs(sum - 100) >= 0.005 ? sum : null,
    extraInternalDomains: domainLines.filter((l) => !DOMAIN.test(l.text)),
    tooManyDomains: domains.length > MAX_DOMAINS,
    exclusions: exclusionLines.filter((l) => !EXCLUSION.test(l.text)),
    tooManyExclusions: exclusions.length > MAX_EXCLUSIONS,
    minimumColleagues: minimumColleagues.problem,
  };
  if (!isValid(problems) || sum === null) return { problems, rules: null };
  return {
    problems,
    rules: {
      staleDays: staleDays.value!,
      upcomingMeetingSuppressesStale: draft.upcomingMeetingSuppressesStale,
      // Shares to four decimals (percent to two), so the five add up to 1 exactly as typed.
      weights: Object.fromEntries(WEIGHT_KEYS.map((k) => [k, Math.round(parsePercent(draft.weights[k])! * 100) / 10_000])) as Rules['weights'],
      extraInternalDomains: domains,
      exclusions,
      minimumColleagues: minimumColleagues.value!,
    },
  };
}

export function isValid(p: DraftProblems): boolean {
  return (
    p.staleDays === null &&
    Object.keys(p.weights).length === 0 &&
    p.weightsSum === null &&
    p.extraInternalDomains.length === 0 &&
    !p.tooManyDomains &&
    p.exclusions.length === 0 &&
    !p.tooManyExclusions &&
    p.minimumColleagues === null
  );
}

/** Whether the checked rules differ from the saved ones (lists compared as saved, in order). */
export function sameRules(a: Rules, b: Rules): boolean {
  return (
    a.staleDays === b.staleDays &&
    a.upcomingMeetingSuppressesStale === b.upcomingMeetingSuppressesStale &&
    a.minimumColleagues === b.minimumColleagues &&
    WEIGHT_KEYS.every((k) => Math.abs(a.weights[k] - b.weights[k]) < 1e-9) &&
    a.extraInternalDomains.join('\n') === b.extraInternalDomains.join('\n') &&
    a.exclusions.join('\n') === b.exclusions.join('\n')
  );
}
