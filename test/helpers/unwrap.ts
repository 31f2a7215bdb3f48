/**
 * Text output as one line per sentence again: the plan wraps long lines at 110 characters, continuing them on
 * lines indented four more spaces (src/apply/wrap.ts). Tests that look for a whole sentence read it joined.
 */
export function unwrapped(text: string): string {
  return text.replace(/\n {4,}(?=\S)/g, ' ');
}
