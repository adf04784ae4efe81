/**
 * Small builders for Adaptive Card 1.5 JSON. Cards carry account-level aggregates only:
 * no builder here takes a person's name or address.
 *
 * Typed with the Teams SDK's card interfaces (`@microsoft/teams.cards`) so a misspelt property
 * or an element in the wrong place fails the type check. Type-only: the JSON stays plain object
 * literals, because the SDK's builder classes would change nothing on the wire but add a runtime
 * dependency. The typings also know 1.6 and Teams-only elements; keeping cards within 1.5 is
 * checked by tests/bot/card-validation.ts.
 */
import type { ActionArray, CardElementArray, IActionSet, IAdaptiveCard, IContainer, IExecuteAction, IFactSet, IOpenUrlAction, ITextBlock, TextColor } from '@microsoft/teams.cards';
import type { AdaptiveCardJson } from '../conversation';
import type { Lang } from '../i18n';

export const CARD_VERSION = '1.5';

/** An element of a card's body (or of a Container's or Column's items). */
export type Element = CardElementArray[number];
/** A button: in a card's actions or an ActionSet. */
export type CardAction = ActionArray[number];

export function card(body: Element[], actions: CardAction[] = []): AdaptiveCardJson {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 && { actions }),
  } satisfies IAdaptiveCard;
}

export function title(text: string): ITextBlock {
  return { type: 'TextBlock', text, size: 'Large', weight: 'Bolder', wrap: true };
}

export function heading(text: string): ITextBlock {
  return { type: 'TextBlock', text, weight: 'Bolder', spacing: 'Medium', wrap: true };
}

export function text(value: string, options: { subtle?: boolean; color?: Extract<TextColor, 'Good' | 'Attention' | 'Warning' | 'Accent'>; id?: string } = {}): ITextBlock {
  return {
    type: 'TextBlock',
    text: value,
    wrap: true,
    ...(options.id && { id: options.id }),
    ...(options.subtle && { isSubtle: true }),
    ...(options.color && { color: options.color }),
  };
}

export function facts(entries: Array<[string, string]>): IFactSet {
  return { type: 'FactSet', facts: entries.map(([t, v]) => ({ title: t, value: v })) };
}

/** A two-column list: a label on the left and a value on the right, one row per entry. */
export function list(rows: Array<[string, string]>): IContainer {
  return {
    type: 'Container',
    items: rows.map(([label, value]) => ({
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'stretch', items: [{ type: 'TextBlock', text: label, wrap: true }] },
        { type: 'Column', width: 'auto', items: [{ type: 'TextBlock', text: value, wrap: true, horizontalAlignment: 'Right' }] },
      ],
    })),
  };
}

export function openUrl(titleText: string, url: string): IOpenUrlAction {
  return { type: 'Action.OpenUrl', title: titleText, url };
}

/** Universal Action (Action.Execute): Teams sends an `adaptiveCard/action` invoke with the verb and data. */
export function execute(titleText: string, verb: string, data: Record<string, unknown>): IExecuteAction {
  return { type: 'Action.Execute', title: titleText, verb, data };
}

/** Days since something, or the catalogue's word for "never" when it never happened. */
export function days(value: number | null, lang: Lang): string {
  return value === null ? lang.m.common.never : lang.f.days(value);
}

/** A score change: "+12", "−9", or "new" when there is no previous run to compare with. */
export function signed(value: number | null, lang: Lang): string {
  return value === null ? lang.m.common.new : lang.f.signed(value);
}

/** "91 (high)": the band in words, never the raw enum. */
export function scoreBand(score: number, band: 'High' | 'Medium' | 'Low', lang: Lang): string {
  return lang.m.common.scoreWithBand(lang.f.number(score), lang.m.common.band[band]);
}

/** A group of buttons placed in the body, e.g. one per look-up candidate (card-level actions are capped by the host). */
export function actionSet(actions: CardAction[]): IActionSet {
  return { type: 'ActionSet', actions };
}

/** Account names come from the customer dataset; keep them from turning into Markdown. */
export function plain(value: string): string {
  return value.replace(/([\\*_[\]()#`>~|])/g, '\\$1');
}
