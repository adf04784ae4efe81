/**
 * The links that ask the tenant administrator for consent. Rapport needs no permission to send
 * anything: it opens a Teams chat (or an email) the signed-in admin sends themselves.
 */

/**
 * A Teams deep link that opens a 1:1 chat with `email` and puts `message` in the compose box as a
 * draft; nothing is sent until the user sends it. Format from "Deep link to Teams chat":
 * https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/deep-link-teams
 * (`users` takes the Microsoft Entra user principal name, usually the email address).
 */
export function teamsChatLink(email: string, message: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(email)}&message=${encodeURIComponent(message)}`;
}

/** A `mailto:` link with the subject and body filled in (RFC 6068: %20 for spaces, never `+`). */
export function mailtoLink(email: string, subject: string, body: string): string {
  // The @ stays as is: RFC 6068 allows %40, but some mail clients then show the address encoded.
  return `mailto:${encodeURIComponent(email).replace('%40', '@')}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

/**
 * Browsers and Teams clients cut or refuse very long links (Teams' own examples stay short, and
 * some mail clients stop near 2,000 characters), so the message stays short and links to the
 * consent page rather than explaining everything.
 */
export const MAX_LINK_LENGTH = 2000;
