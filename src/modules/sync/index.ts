export { AppliedVersions } from './applied-versions';
