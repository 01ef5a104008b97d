export { ReconcileService, stalePlan } from './reconcile.service';
