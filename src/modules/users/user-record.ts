/** What the identity provider says about a person at sign-in (its groups from the `OIDC_GROUPS_CLAIM` claim). */
export interface UserClaims {
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
  groups: string[];
}

export interface UserRecord extends UserClaims {
  id: string;
  created_at: string;
  last_seen_at: string;
}
