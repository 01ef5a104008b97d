export { BindingsService } from './bindings.service';
export type { BindingSubject } from './domain/binding-subject';
