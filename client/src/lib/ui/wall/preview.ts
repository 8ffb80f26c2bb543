/**
 * The questions listed under the highlighted one are a preview: a long one is cut at a word
 * boundary with an ellipsis, so the list keeps its height and nothing is cut off mid-line by
 * CSS. The highlighted post always shows the whole text.
 */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export const PREVIEW_GRAPHEMES = 140;

export function previewText(text: string, max = PREVIEW_GRAPHEMES): string {
  const graphemes = Array.from(segmenter.segment(text), (s) => s.segment);
  if (graphemes.length <= max) return text;
  const head = graphemes.slice(0, max).join('');
  // Back to the last space, unless that throws away most of the preview (one long compound).
  const space = head.search(/\s\S*$/u);
  const cut = space > head.length * 0.6 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s,.;:!?–-]+$/u, '')} …`;
}
