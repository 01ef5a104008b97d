export type { UserClaims, UserRecord } from './user-record';
export { UsersService } from './users.service';
