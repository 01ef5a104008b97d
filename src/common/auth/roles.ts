export const TOKEN_ROLES = ['read', 'write', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];
