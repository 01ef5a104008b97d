import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { normalizeScope } from '../../common/auth/domain/scope';
import type { AuthenticatedUser, Binding } from '../../common/auth/principal';
import type { UserBindings } from '../../common/auth/token-authenticator';
import { badRequest, notFound } from '../../common/http/api-error';
import { UsersService } from '../users';
import { BindingView, toBindingView } from './binding-view';
import { CreateBindingDto } from './bindings.dto';
import { BindingsStore } from './bindings.store';

/** Role bindings, and the bindings a signed-in user's requests carry (docs/SECURITY.md "Roles and scopes"). */
@Injectable()
export class BindingsService implements UserBindings {
  constructor(
    private readonly em: EntityManager,
    private readonly store: BindingsStore,
    private readonly users: UsersService,
  ) {}

  bindingsOf(user: Pick<AuthenticatedUser, 'id' | 'groups'>): Promise<Binding[]> {
    return this.store.ofUser(this.em, user.id, user.groups);
  }

  /** A user is named by id and must have signed in once; a group needs no one in it yet. */
  async create(dto: CreateBindingDto): Promise<BindingView> {
    const userId = 'user_id' in dto.subject ? dto.subject.user_id.toLowerCase() : null;
    if (userId !== null && !(await this.users.find(userId))) {
      throw badRequest('subject.user_id', `no user ${userId}: a user exists once they have signed in`);
    }
    const row = await this.store.insert(this.em, {
      id: randomUUID(),
      subject_user_id: userId,
      subject_group: 'group' in dto.subject ? dto.subject.group : null,
      role: dto.role,
      scope: normalizeScope(dto.scope),
    });
    return toBindingView(row);
  }

  async list(): Promise<BindingView[]> {
    return (await this.store.list(this.em)).map(toBindingView);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.delete(this.em, id))) throw notFound('binding', id);
  }
}
