export { stalePlan } from './reconcile.service';
