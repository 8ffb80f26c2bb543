/** One factory for the post views the client's unit tests feed their replicas and views. */
import type { PostWire } from '../types.js';

export const TEST_SESSION = 'ses_00000001';

export const postWire = (id: string, change: Partial<PostWire> = {}): PostWire => ({
  id,
  sessionId: TEST_SESSION,
  kind: 'question',
  text: id,
  displayName: null,
  status: 'visible',
  version: 1,
  createdAt: 1,
  updatedAt: 1,
  isHighlighted: false,
  isPinned: false,
  isFromRoom: false,
  heldReason: null,
  hideReason: null,
  history: [],
  topicId: null,
  directedTo: null,
  mergedInto: null,
  merged: [],
  voices: 1,
  followUpPromisedBy: null,
  ...change,
});
