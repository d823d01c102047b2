// OAuth scopes → the Strapi content-API actions they open. A scope-limited
// client's effective rights are its role's actions that a scope of its token
// also opens (role ∩ scopes); actions no scope names (reading published
// articles, `users/me`) need none.

const SCOPE_RIGHTS: Readonly<Record<string, readonly string[]>> = {
  "notes:read": ["api::note.note.find", "api::note.note.findOne"],
  "notes:write": ["api::note.note.create", "api::note.note.update", "api::note.note.delete"],
  "articles:write": ["api::article.article.create", "api::article.article.update", "api::article.article.delete"],
};

const SCOPE_OF_ACTION = new Map(Object.entries(SCOPE_RIGHTS).flatMap(([scope, actions]) => actions.map((action) => [action, scope] as const)));

/** The scope an action needs, or undefined when no scope guards it. */
function scopeFor(action: string): string | undefined {
  return SCOPE_OF_ACTION.get(action);
}

/** The scopes among `actions`' that the token lacks, in order, without repeats. */
export function missingScopes(actions: readonly string[], tokenScopes: readonly string[]): string[] {
  const have = new Set(tokenScopes);
  const missing: string[] = [];
  for (const action of actions) {
    const scope = scopeFor(action);
    if (scope !== undefined && !have.has(scope) && !missing.includes(scope)) missing.push(scope);
  }
  return missing;
}

/** The role's ability cut down to what the token's scopes open. */
export function limitByScopes<A extends { can(action: string): boolean }>(ability: A, tokenScopes: readonly string[]): { can(action: string): boolean } {
  const have = new Set(tokenScopes);
  return {
    can: (action) => {
      if (!ability.can(action)) return false;
      const scope = scopeFor(action);
      return scope === undefined || have.has(scope);
    },
  };
}
