import { joinAction } from '$lib/server/join';
import type { Actions } from './$types';

export const actions = { join: joinAction } satisfies Actions;
