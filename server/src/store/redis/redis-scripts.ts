/**
 * Lua scripts of the Redis store. Each write that carries a command runs as one script, so
 * the idempotency check, the change, the command's acknowledgement and the numbered stream
 * entries happen in one atomic step, whichever server node sends it.
 *
 * Every key a script touches arrives through KEYS, fully prefixed by redis-store.ts: no key
 * name is built inside Lua (a key built here would escape the store's prefix, and Redis
 * could not know which keys a script uses).
 *
 * defineScripts (at the end) registers them on a connection as the commands the store calls.
 *
 * Replies are flat arrays whose first element says what happened:
 *   {'committed', seq1, seq2, ...}   one sequence number per append, in order
 *   {'replay', ackJson}
 *   {'conflict', json1, json2, ...}  the stored posts (or session) involved
 */
import type { Redis } from 'ioredis';
import { defineMemberScripts } from './redis-member-scripts.js';
import type { MemberScripts } from './redis-member-scripts.js';

/**
 * Shared by every script that appends: for append i (0-based), KEYS[firstKey + 2i] is the
 * stream's head counter and KEYS[firstKey + 2i + 1] its log (a ZSET scored by seq whose
 * members are the entry JSON; the seq inside the member keeps equal updates distinct).
 * The log keeps the `retain` newest entries.
 */
const APPEND = `
local function append_entries(firstKey, firstArg, count, retain)
  local seqs = {}
  for i = 0, count - 1 do
    local headKey = KEYS[firstKey + 2 * i]
    local logKey = KEYS[firstKey + 2 * i + 1]
    local seq = redis.call('INCR', headKey)
    redis.call('ZADD', logKey, seq, '{"seq":' .. seq .. ',"update":' .. ARGV[firstArg + i] .. '}')
    redis.call('ZREMRANGEBYRANK', logKey, 0, -(retain + 1))
    seqs[#seqs + 1] = seq
  end
  return seqs
end

local function committed(seqs, logSeqs)
  local out = {'committed'}
  for _, seq in ipairs(seqs) do out[#out + 1] = seq end
  for _, seq in ipairs(logSeqs or {}) do out[#out + 1] = seq end
  return out
end

-- The moderation log (SPEC ML1): ARGV[firstArg..#ARGV] are entry JSONs without their seq;
-- each gets the next number of the session's log counter (headKey) and is added to the log
-- (setKey, a ZSET scored by seq), with the seq put first in the JSON.
local function append_log(headKey, setKey, firstArg)
  local seqs = {}
  for i = firstArg, #ARGV do
    local seq = redis.call('INCR', headKey)
    redis.call('ZADD', setKey, seq, '{"seq":' .. seq .. ',' .. string.sub(ARGV[i], 2))
    seqs[#seqs + 1] = seq
  end
  return seqs
end
`;

/**
 * Lua: the version check of UPDATE_POSTS and MERGE_POSTS. ARGV holds n triples (postId,
 * expectedVersion, postJson) from ARGV[5]; answers nil when every post is at its expected
 * version, else {'conflict', current post JSON...} (each post once).
 */
const STALE_POSTS = `
local function stale_posts(posts_key, n)
  local isStale = false
  local current = {'conflict'}
  local seen = {}
  for i = 0, n - 1 do
    local postId = ARGV[5 + 3 * i]
    local expected = tonumber(ARGV[6 + 3 * i])
    local json = redis.call('HGET', posts_key, postId)
    if not json then
      isStale = true
    else
      if cjson.decode(json).version ~= expected then isStale = true end
      if not seen[postId] then
        seen[postId] = true
        current[#current + 1] = json
      end
    end
  end
  if isStale then return current end
  return nil
end
`;

/**
 * KEYS: cmd, posts (HASH postId -> JSON), the author's device index (ZSET, for the receipt),
 * the moderation log's counter and ZSET, then head/log pairs.
 * ARGV: ackJson, ttlSeconds, retain, postId, postJson, deviceMember ('' when the post has no
 * device), createdAt, then one update JSON per append, then the moderation log entries.
 */
export const INSERT_POST = `${APPEND}
local stored = redis.call('GET', KEYS[1])
if stored then return {'replay', stored} end
if redis.call('HEXISTS', KEYS[2], ARGV[4]) == 1 then
  return redis.error_reply('post_exists: a post with this id already exists')
end
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
if ARGV[6] ~= '' then redis.call('ZADD', KEYS[3], tonumber(ARGV[7]), ARGV[6]) end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
local count = (#KEYS - 5) / 2
local seqs = append_entries(6, 8, count, tonumber(ARGV[3]))
return committed(seqs, append_log(KEYS[4], KEYS[5], 8 + count))
`;

/**
 * KEYS: cmd, followUp, byKey (ZSET), byTopic (ZSET), byDeletion (ZSET, scored by deleteAfter).
 * ARGV: ackJson, ttlSeconds, followUpId, followUpJson, consentedAt, deleteAfter.
 */
export const INSERT_FOLLOW_UP = `
local stored = redis.call('GET', KEYS[1])
if stored then return {'replay', stored} end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.error_reply('follow_up_exists: a follow-up with this id already exists')
end
redis.call('SET', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[3], tonumber(ARGV[5]), ARGV[3])
redis.call('ZADD', KEYS[4], tonumber(ARGV[5]), ARGV[3])
redis.call('ZADD', KEYS[5], tonumber(ARGV[6]), ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
return {'committed'}
`;

/** KEYS: cmd, followUp. ARGV: ackJson, ttlSeconds, followUpJson. */
export const UPDATE_FOLLOW_UP = `
local stored = redis.call('GET', KEYS[1])
if stored then return {'replay', stored} end
if redis.call('EXISTS', KEYS[2]) == 0 then
  return redis.error_reply('follow_up_missing: no such follow-up')
end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
return {'committed'}
`;

/**
 * KEYS: cmd, posts, the moderation log's counter and ZSET, then head/log pairs.
 * ARGV: ackJson, ttlSeconds, retain, n, then n triples (postId, expectedVersion, postJson),
 * then one update JSON per append, then the moderation log entries.
 * All versions are checked before anything is written: all or none.
 */
export const UPDATE_POSTS = `${APPEND}${STALE_POSTS}
local stored = redis.call('GET', KEYS[1])
if stored then return {'replay', stored} end
local n = tonumber(ARGV[4])
local current = stale_posts(KEYS[2], n)
if current then return current end
for i = 0, n - 1 do
  redis.call('HSET', KEYS[2], ARGV[5 + 3 * i], ARGV[7 + 3 * i])
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
local count = (#KEYS - 4) / 2
local seqs = append_entries(5, 5 + 3 * n, count, tonumber(ARGV[3]))
return committed(seqs, append_log(KEYS[3], KEYS[4], 5 + 3 * n + count))
`;

/**
 * [M13] UPDATE_POSTS plus moving the sources' votes to the target.
 * KEYS: cmd, posts, the moderation log's counter and ZSET, votes (HASH postId -> count), the
 * target's voters (SET), the m sources' voters (SETs), one device-votes SET per listed voter
 * (in ARGV's order), then head/log pairs.
 * ARGV: ackJson, ttlSeconds, retain, n, then n triples (postId, expectedVersion, postJson),
 * then targetId, m, the m source ids, m voter counts, the voters of each source in turn (as
 * the caller read them), then one update JSON per append, then the moderation log entries.
 * If a source's voters are no longer what the caller read, the script answers {'retry'} and
 * changes nothing, so the caller reads again (the device keys come from those voters).
 */
export const MERGE_POSTS = `${APPEND}${STALE_POSTS}
local stored = redis.call('GET', KEYS[1])
if stored then return {'replay', stored} end
local n = tonumber(ARGV[4])
local current = stale_posts(KEYS[2], n)
if current then return current end
local b = 5 + 3 * n
local targetId = ARGV[b]
local m = tonumber(ARGV[b + 1])
local countsAt = b + 2 + m
local devAt = countsAt + m
local d = 0
for s = 0, m - 1 do
  local k = tonumber(ARGV[countsAt + s])
  if redis.call('SCARD', KEYS[7 + s]) ~= k then return {'retry'} end
  for j = 0, k - 1 do
    if redis.call('SISMEMBER', KEYS[7 + s], ARGV[devAt + d + j]) == 0 then return {'retry'} end
  end
  d = d + k
end
for i = 0, n - 1 do
  redis.call('HSET', KEYS[2], ARGV[5 + 3 * i], ARGV[7 + 3 * i])
end
local dd = 0
for s = 0, m - 1 do
  local sourceId = ARGV[b + 2 + s]
  local k = tonumber(ARGV[countsAt + s])
  for j = 0, k - 1 do
    local device = ARGV[devAt + dd + j]
    local deviceKey = KEYS[7 + m + dd + j]
    if redis.call('SADD', KEYS[6], device) == 1 then
      redis.call('HINCRBY', KEYS[5], targetId, 1)
      redis.call('SADD', deviceKey, targetId)
    end
    redis.call('SREM', deviceKey, sourceId)
  end
  dd = dd + k
  redis.call('DEL', KEYS[7 + s])
  redis.call('HDEL', KEYS[5], sourceId)
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
local count = (#KEYS - 6 - m - d) / 2
local seqs = append_entries(7 + m + d, devAt + d, count, tonumber(ARGV[3]))
return committed(seqs, append_log(KEYS[3], KEYS[4], devAt + d + count))
`;

/**
 * KEYS: cmd, session, stored join code, next join code, stored event's sessions, next event's
 * sessions, the moderation log's counter and ZSET, then head/log pairs.
 * ARGV: ackJson, ttlSeconds, retain, expectedVersion, nextJson, the join code and event id
 * the caller read (and built KEYS[3] and KEYS[5] from), createdAt, then update JSONs, then
 * the moderation log entries.
 * A missing session is a conflict with no current session. The join code and event are
 * indexed under their own keys; if the stored ones are not what the caller read, the script
 * answers {'retry'} and changes nothing, so the caller reads again.
 */
export const UPDATE_SESSION = `${APPEND}
local stored = redis.call('GET', KEYS[1])
if stored then return {'replay', stored} end
local json = redis.call('GET', KEYS[2])
if not json then return {'conflict'} end
local current = cjson.decode(json)
local proposed = cjson.decode(ARGV[5])
if current.version ~= tonumber(ARGV[4]) then return {'conflict', json} end
if current.joinCode ~= ARGV[6] or current.eventId ~= ARGV[7] then return {'retry'} end
if proposed.joinCode ~= current.joinCode then
  if not redis.call('SET', KEYS[4], proposed.id, 'NX') then
    return redis.error_reply('join_code_taken: another session uses join code ' .. proposed.joinCode)
  end
  if redis.call('GET', KEYS[3]) == current.id then redis.call('DEL', KEYS[3]) end
end
if proposed.eventId ~= current.eventId then redis.call('ZREM', KEYS[5], current.id) end
redis.call('ZADD', KEYS[6], tonumber(ARGV[8]), proposed.id)
redis.call('SET', KEYS[2], ARGV[5])
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
local count = (#KEYS - 8) / 2
local seqs = append_entries(9, 9, count, tonumber(ARGV[3]))
return committed(seqs, append_log(KEYS[7], KEYS[8], 9 + count))
`;

/**
 * KEYS: code (-> sessionId), session, event's sessions (ZSET by createdAt).
 * ARGV: sessionId, sessionJson, createdAt.
 * Returns 'created' or 'code_taken' (then nothing is written).
 */
export const CREATE_SESSION = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 'code_taken' end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 'created'
`;

/**
 * KEYS: cmd, votes (HASH postId -> count), voters of the post (SET deviceIds),
 * the device's votes (SET postIds).
 * ARGV: ackJson, ttlSeconds, postId, deviceId, isOn ('1' or '0').
 * The voters SET decides whether anything changes, so a repeated or missing vote leaves the
 * count alone; the command is recorded either way.
 */
export const SET_VOTE = `
local stored = redis.call('GET', KEYS[1])
if stored then return {'replay', stored} end
if ARGV[5] == '1' then
  if redis.call('SADD', KEYS[3], ARGV[4]) == 1 then
    redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
    redis.call('SADD', KEYS[4], ARGV[3])
  end
else
  if redis.call('SREM', KEYS[3], ARGV[4]) == 1 then
    if redis.call('HINCRBY', KEYS[2], ARGV[3], -1) <= 0 then redis.call('HDEL', KEYS[2], ARGV[3]) end
    redis.call('SREM', KEYS[4], ARGV[3])
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
return {'committed'}
`;

/**
 * KEYS: seen (SET of "postId deviceId"), impressions (HASH postId -> count).
 * ARGV: deviceId, then post ids. Each (device, post) pair counts once (SPEC FV1); returns
 * the post ids counted now.
 */
export const ADD_IMPRESSIONS = `
local counted = {}
for i = 2, #ARGV do
  if redis.call('SADD', KEYS[1], ARGV[i] .. ' ' .. ARGV[1]) == 1 then
    redis.call('HINCRBY', KEYS[2], ARGV[i], 1)
    counted[#counted + 1] = ARGV[i]
  end
end
return counted
`;

/**
 * KEYS: the session's rotation claim. ARGV: owner, ttlMs.
 * Takes the claim when nobody holds it, renews it for its holder; 1 when the caller holds it.
 */
export const CLAIM_WALL_TICK = `
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
`;

/**
 * KEYS: cmd, queue (JSON), the moderation log's counter and ZSET, then head/log pairs.
 * ARGV: ackJson, ttlSeconds, retain, expectedVersion (0: none stored), queueJson, then one
 * update JSON per append, then the moderation log entries.
 */
export const SAVE_QUEUE = `${APPEND}
local stored = redis.call('GET', KEYS[1])
if stored then return {'replay', stored} end
local json = redis.call('GET', KEYS[2])
local version = 0
if json then version = cjson.decode(json).version end
if version ~= tonumber(ARGV[4]) then return {'conflict'} end
redis.call('SET', KEYS[2], ARGV[5])
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
local count = (#KEYS - 4) / 2
local seqs = append_entries(5, 6, count, tonumber(ARGV[3]))
return committed(seqs, append_log(KEYS[3], KEYS[4], 6 + count))
`;

/**
 * KEYS: cmd, polls (JSON), polls' version, the moderation log's counter and ZSET, then
 * head/log pairs.
 * ARGV: ackJson, ttlSeconds, retain, expectedVersion (0: none stored), pollsJson, the new
 * version, then one update JSON per append, then the log entries.
 * The version sits in a key of its own so that every answer can check it without decoding the
 * polls (SAVE_ANSWER).
 */
export const SAVE_POLLS = `${APPEND}
local stored = redis.call('GET', KEYS[1])
if stored then return {'replay', stored} end
local version = tonumber(redis.call('GET', KEYS[3]) or '0')
if version ~= tonumber(ARGV[4]) then return {'conflict'} end
redis.call('SET', KEYS[2], ARGV[5])
redis.call('SET', KEYS[3], ARGV[6])
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
local count = (#KEYS - 5) / 2
local seqs = append_entries(6, 7, count, tonumber(ARGV[3]))
return committed(seqs, append_log(KEYS[4], KEYS[5], 7 + count))
`;

/**
 * KEYS: cmd, polls' version, the poll's answers (HASH), the poll's revision, then head/log
 * pairs.
 * ARGV: ackJson, ttlSeconds, retain, the polls' version the answer was checked against,
 * deviceId, answerJson, then one update JSON per append.
 * [PL6] One answer per device (HSET replaces it); the revision counts every write.
 */
export const SAVE_ANSWER = `${APPEND}
local stored = redis.call('GET', KEYS[1])
if stored then return {'replay', stored} end
local version = tonumber(redis.call('GET', KEYS[2]) or '0')
if version ~= tonumber(ARGV[4]) then return {'conflict'} end
redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
redis.call('INCR', KEYS[4])
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
local count = (#KEYS - 4) / 2
return committed(append_entries(5, 7, count, tonumber(ARGV[3])))
`;

/**
 * KEYS: the first-organisation claim, the candidate's organisation key.
 * ARGV: candidate id, candidate JSON.
 * The first caller's candidate is saved with the claim; every caller gets the claimed id.
 */
export const CLAIM_FIRST_ORG = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('SET', KEYS[2], ARGV[2])
  return ARGV[1]
end
return redis.call('GET', KEYS[1])
`;

/**
 * KEYS: the e-mail's index (-> accountId), the account. ARGV: accountId, account JSON.
 * Returns 'created' or 'email_taken' (then nothing is written).
 */
export const CREATE_ACCOUNT = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 'email_taken' end
redis.call('SET', KEYS[2], ARGV[2])
return 'created'
`;

type ScriptArg = string | number;
type ScriptFn = (numKeys: number, ...args: ScriptArg[]) => Promise<unknown>;
interface ScriptCommands {
  gtInsertPost: ScriptFn;
  gtUpdatePosts: ScriptFn;
  gtMergePosts: ScriptFn;
  gtUpdateSession: ScriptFn;
  gtCreateSession: ScriptFn;
  gtSetVote: ScriptFn;
  gtInsertFollowUp: ScriptFn;
  gtUpdateFollowUp: ScriptFn;
  gtAddImpressions: ScriptFn;
  gtClaimWallTick: ScriptFn;
  gtSaveQueue: ScriptFn;
  gtSavePolls: ScriptFn;
  gtSaveAnswer: ScriptFn;
  gtClaimFirstOrg: ScriptFn;
  gtCreateAccount: ScriptFn;
}
export type Client = Redis & ScriptCommands & MemberScripts;

export function defineScripts(redis: Redis): Client {
  // No numberOfKeys: the caller passes it, since the number of appends varies.
  redis.defineCommand('gtInsertPost', { lua: INSERT_POST });
  redis.defineCommand('gtUpdatePosts', { lua: UPDATE_POSTS });
  redis.defineCommand('gtMergePosts', { lua: MERGE_POSTS });
  redis.defineCommand('gtUpdateSession', { lua: UPDATE_SESSION });
  redis.defineCommand('gtCreateSession', { lua: CREATE_SESSION });
  redis.defineCommand('gtSetVote', { lua: SET_VOTE });
  redis.defineCommand('gtInsertFollowUp', { lua: INSERT_FOLLOW_UP });
  redis.defineCommand('gtUpdateFollowUp', { lua: UPDATE_FOLLOW_UP });
  redis.defineCommand('gtAddImpressions', { lua: ADD_IMPRESSIONS });
  redis.defineCommand('gtClaimWallTick', { lua: CLAIM_WALL_TICK });
  redis.defineCommand('gtSaveQueue', { lua: SAVE_QUEUE });
  redis.defineCommand('gtSavePolls', { lua: SAVE_POLLS });
  redis.defineCommand('gtSaveAnswer', { lua: SAVE_ANSWER });
  redis.defineCommand('gtClaimFirstOrg', { lua: CLAIM_FIRST_ORG });
  redis.defineCommand('gtCreateAccount', { lua: CREATE_ACCOUNT });
  defineMemberScripts(redis);
  return redis as Client;
}

/** A script's reply: its first element says what happened (see redis-scripts.ts). */
export function asReply(value: unknown): [string, ...unknown[]] {
  if (!Array.isArray(value) || typeof value[0] !== 'string') {
    throw new Error(`unexpected reply from a Redis store script: ${JSON.stringify(value)}`);
  }
  return value as [string, ...unknown[]];
}
