/**
 * Arranging a journey through the REST API, as a script would: the journeys under test click
 * through the screens; the ones that only need a talk to exist get it here.
 */
import type { CreateSessionAck, EventView, LoginAck, Result } from '@gt/protocol';
import { ORGANISER } from './server.js';

/** POST a JSON body (with an organiser token when given) and unwrap the Result, or throw. */
export async function post<T>(url: string, body: unknown, staff?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(staff ? { authorization: `Bearer ${staff}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const result = (await response.json()) as Result<T>;
  if (!result.ok) throw new Error(`${url}: ${result.error.code} ${result.error.message}`);
  return result.data;
}

export interface ArrangedTalk {
  session: CreateSessionAck['session'];
  /** The moderator link's token, as the organiser page shows it once. */
  moderatorToken: string;
  organiserToken: string;
}

/** An event with one talk, made through the API as an organiser would. */
export async function arrangeTalk(
  baseUrl: string,
  { title = 'Biblioteket', eventTitle = 'Kulturnatten', moderation = 'pre' as 'pre' | 'post' } = {},
): Promise<ArrangedTalk> {
  const { staffToken } = await post<LoginAck>(`${baseUrl}/api/login`, ORGANISER);
  const event = await post<EventView>(`${baseUrl}/api/events`, { title: eventTitle }, staffToken);
  const created = await post<CreateSessionAck>(
    `${baseUrl}/api/sessions`,
    { eventId: event.id, title, settings: { moderation } },
    staffToken,
  );
  return { ...created, organiserToken: staffToken };
}

export async function createTalk(
  baseUrl: string,
  options: { title?: string; moderation?: 'pre' | 'post' } = {},
): Promise<CreateSessionAck['session']> {
  return (await arrangeTalk(baseUrl, options)).session;
}

/** A six-digit code no talk has (codes are random; ask the server). */
export async function unusedCode(baseUrl: string): Promise<string> {
  for (let n = 0; n < 1_000_000; n += 7919) {
    const code = String(n).padStart(6, '0');
    const response = await fetch(`${baseUrl}/api/sessions/by-code/${code}`);
    if (response.status === 404) return code;
  }
  throw new Error('every code is taken');
}

/** "123456" → "123 456", as people read it off a poster. */
export const spaced = (code: string) => `${code.slice(0, 3)} ${code.slice(3)}`;
