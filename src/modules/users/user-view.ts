import { ApiProperty } from '@nestjs/swagger';
import type { UserRecord } from './user-record';

/** A user as admins see them, to bind roles to (who the provider says they are, and when they were last here). */
export class UserView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty({ description: "The identity provider's issuer URL" })
  issuer!: string;

  @ApiProperty({ type: String, isArray: true, description: 'Groups at the last sign-in' })
  groups!: string[];

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  last_seen_at!: string;
}

/** Every user (not paged: people who signed in, a few hundred at most). */
export class UserList {
  @ApiProperty({ type: UserView, isArray: true })
  items!: UserView[];
}

export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    issuer: user.issuer,
    groups: user.groups,
    created_at: user.created_at,
    last_seen_at: user.last_seen_at,
  };
}
