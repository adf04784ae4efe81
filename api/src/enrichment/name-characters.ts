/**
 * Characters a name must not hold: C0/C1 controls (NUL included) and the Unicode bidi
 * controls. A control character can cut a name short in a log line, a CSV export or a file
 * system; a bidi override or isolate makes a name display differently from what it is
 * ("Trojan Source", CVE-2021-42574), so a segment called "‮txt.exe" reads as "exe.txt".
 */

const BIDI_NAMES: ReadonlyMap<number, string> = new Map([
  [0x061c, 'Arabic letter mark'],
  [0x200e, 'left-to-right mark'],
  [0x200f, 'right-to-left mark'],
  [0x202a, 'left-to-right embedding'],
  [0x202b, 'right-to-left embedding'],
  [0x202c, 'pop directional formatting'],
  [0x202d, 'left-to-right override'],
  [0x202e, 'right-to-left override'],
  [0x2066, 'left-to-right isolate'],
  [0x2067, 'right-to-left isolate'],
  [0x2068, 'first strong isolate'],
  [0x2069, 'pop directional isolate'],
]);

const CONTROL_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'NUL'],
  [0x09, 'tab'],
  [0x0a, 'line feed'],
  [0x0d, 'carriage return'],
  [0x7f, 'delete'],
]);

export interface ForbiddenCharacter {
  /** e.g. "U+202E" */
  codePoint: string;
  /** e.g. "right-to-left override" */
  label: string;
  /** 1-based, counted in characters (code points) of the text as sent. */
  position: number;
}

function isControl(cp: number): boolean {
  return cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
}

/** The first control or bidi character in `text`, or null. */
export function forbiddenCharacterIn(text: string): ForbiddenCharacter | null {
  let position = 0;
  for (const ch of text) {
    position += 1;
    const cp = ch.codePointAt(0)!;
    const label = isControl(cp) ? (CONTROL_NAMES.get(cp) ?? 'control character') : BIDI_NAMES.get(cp);
    if (label !== undefined) {
      return { codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`, label, position };
    }
  }
  return null;
}

/** "the character U+202E (right-to-left override) at position 5 is not allowed in a name" */
export function describeForbiddenCharacter(found: ForbiddenCharacter, what = 'a name'): string {
  return `the character ${found.codePoint} (${found.label}) at position ${found.position} is not allowed in ${what}`;
}
