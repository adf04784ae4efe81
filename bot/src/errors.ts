/**
 * The bot's one fault of its own: it cannot start with the auth options it was given. It
 * carries the same `code` as the API's catalogue entry for a bad configuration, so the
 * composition root reports both the same way (a one-line message and a non-zero exit), without
 * the bot importing the API's error type.
 */
export class BotConfigError extends Error {
  readonly code = 'CONFIG_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'BotConfigError';
  }
}

export function isBotConfigError(e: unknown): e is BotConfigError {
  return e instanceof BotConfigError;
}
