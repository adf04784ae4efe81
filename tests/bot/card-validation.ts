/** Every card the bot sends must parse cleanly with the Adaptive Cards SDK. */
import { createRequire } from 'node:module';
import type * as AC from 'adaptivecards';

// The package's `main` is ESM without file extensions, which jest cannot load; its UMD build works.
const AdaptiveCards = createRequire(__filename)('adaptivecards/dist/adaptivecards.js') as typeof AC;

/** Parse warnings and errors, and validation failures, as readable strings; empty when the card is clean. */
export function cardProblems(payload: unknown): string[] {
  const context = new AdaptiveCards.SerializationContext();
  const card = new AdaptiveCards.AdaptiveCard();
  card.parse(payload as object, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  if (card.version.toString() !== '1.5') problems.push(`version ${card.version.toString()}`);
  return problems;
}

export function expectValidCards(cards: unknown[]): void {
  expect(cards.length).toBeGreaterThan(0);
  const problems = cards.flatMap((c, i) => cardProblems(c).map((p) => `card ${i}: ${p}`));
  expect(problems).toEqual([]);
}
