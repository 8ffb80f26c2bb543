/**
 * The Lua of the people of organisations (MemberStore on Redis): each step that must check
 * and write together (the last admin, an invitation accepted once, a token version raised
 * without losing a concurrent raise) is one script, so nodes never interleave inside it.
 * Records stay JSON; cjson re-encodes a record it changes (integers up to 14 digits, so
 * millisecond times, stay exact).
 */
import type { Redis } from 'ioredis';

/**
 * KEYS: the organisation's members, the account's organisations. ARGV: accountId, orgId,
 * membership JSON. Returns 'added', or 'exists' (nothing written).
 */
const ADD_MEMBERSHIP = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3]) == 0 then return 'exists' end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 'added'
`;

/**
 * KEYS: as ADD_MEMBERSHIP. ARGV: accountId, orgId.
 * Returns 'removed', 'not_found' or 'last_admin' (then nothing is written).
 */
const REMOVE_MEMBERSHIP = `
local m = redis.call('HGET', KEYS[1], ARGV[1])
if not m then return 'not_found' end
if cjson.decode(m).role == 'admin' then
  local admins = 0
  for _, v in ipairs(redis.call('HVALS', KEYS[1])) do
    if cjson.decode(v).role == 'admin' then admins = admins + 1 end
  end
  if admins <= 1 then return 'last_admin' end
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[2])
return 'removed'
`;

/**
 * KEYS: the invitation, the account's e-mail index, the account, the organisation's members,
 * the account's organisations. ARGV: accountId, account JSON, at (ms).
 * Returns 'accepted', 'not_found', 'used', 'revoked', 'expired' or 'email_taken'; only
 * 'accepted' writes. The order of the checks is core's invitationState.
 */
const ACCEPT_INVITATION = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 'not_found' end
local inv = cjson.decode(raw)
local at = tonumber(ARGV[3])
if inv.acceptedAt ~= cjson.null then return 'used' end
if inv.revokedAt ~= cjson.null then return 'revoked' end
if inv.expiresAt <= at then return 'expired' end
local existing = redis.call('GET', KEYS[2])
if existing and existing ~= ARGV[1] then return 'email_taken' end
if not existing then
  redis.call('SET', KEYS[2], ARGV[1])
  redis.call('SET', KEYS[3], ARGV[2])
end
local m = cjson.encode({ orgId = inv.orgId, accountId = ARGV[1], role = inv.role, createdAt = at })
if redis.call('HSETNX', KEYS[4], ARGV[1], m) == 1 then redis.call('HSET', KEYS[5], inv.orgId, m) end
inv.acceptedAt = at
redis.call('SET', KEYS[1], cjson.encode(inv))
return 'accepted'
`;

/** KEYS: the account. Returns the new token version, or nil for no such account. */
const BUMP_TOKEN_VERSION = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local account = cjson.decode(raw)
account.tokenVersion = (account.tokenVersion or 0) + 1
redis.call('SET', KEYS[1], cjson.encode(account))
return account.tokenVersion
`;

type ScriptFn = (numKeys: number, ...args: (string | number)[]) => Promise<unknown>;
export interface MemberScripts {
  gtAddMembership: ScriptFn;
  gtRemoveMembership: ScriptFn;
  gtAcceptInvitation: ScriptFn;
  gtBumpTokenVersion: ScriptFn;
}

export function defineMemberScripts(redis: Redis): void {
  redis.defineCommand('gtAddMembership', { lua: ADD_MEMBERSHIP });
  redis.defineCommand('gtRemoveMembership', { lua: REMOVE_MEMBERSHIP });
  redis.defineCommand('gtAcceptInvitation', { lua: ACCEPT_INVITATION });
  redis.defineCommand('gtBumpTokenVersion', { lua: BUMP_TOKEN_VERSION });
}
