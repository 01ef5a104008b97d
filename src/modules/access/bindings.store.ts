import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Binding, Scope } from '../../common/auth/principal';
import type { Role } from '../../common/auth/roles';
import { boundQuery } from '../../database/bound-query';

export interface BindingRow {
  id: string;
  subject_user_id: string | null;
  subject_group: string | null;
  role: Role;
  scope: Scope;
  created_at: string;
}

const COLUMNS = 'id, subject_user_id, subject_group, role, scope, created_at';

/** The access module's plain statements on bindings. */
@Injectable()
export class BindingsStore {
  async insert(em: EntityManager, binding: Omit<BindingRow, 'created_at'>): Promise<BindingRow> {
    const [row] = await boundQuery<BindingRow>(
      em,
      `insert into bindings (id, subject_user_id, subject_group, role, scope, created_at)
       values (?, ?, ?, ?, ?::jsonb, now()) returning ${COLUMNS}`,
      [
        binding.id,
        binding.subject_user_id,
        binding.subject_group,
        binding.role,
        JSON.stringify(binding.scope),
      ],
    );
    return row;
  }

  list(em: EntityManager): Promise<BindingRow[]> {
    return boundQuery<BindingRow>(em, `select ${COLUMNS} from bindings order by created_at, id`);
  }

  /** Whether a binding was there to delete. */
  async delete(em: EntityManager, id: string): Promise<boolean> {
    const rows = await boundQuery<{ id: string }>(em, 'delete from bindings where id = ? returning id', [id]);
    return rows.length > 0;
  }

  /**
   * Every binding naming the user or one of their groups. Runs on every request a signed-in user makes, so a
   * removed binding or a group the provider dropped stops granting at once.
   */
  ofUser(em: EntityManager, userId: string, groups: readonly string[]): Promise<Binding[]> {
    return boundQuery<Binding>(
      em,
      'select role, scope from bindings where subject_user_id = ? or subject_group = any(?::text[])',
      [userId, groups],
    );
  }
}
