/**
 * Sets a few inline style properties (a bar's length, a word's size) as a Svelte action. Not
 * the `style:` directive: the attendee page does not use it, and one use anywhere puts its
 * runtime into the chunk every page shares (client/e2e/attendee-budget.e2e.ts counts that).
 */
export function styleProps(node: HTMLElement, props: Record<string, string>) {
  const apply = (next: Record<string, string>) => {
    for (const [name, value] of Object.entries(next)) node.style.setProperty(name, value);
  };
  apply(props);
  return { update: apply };
}
