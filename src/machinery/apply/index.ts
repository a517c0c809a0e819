// Server-side apply and managedFields (upstream sigs.k8s.io/structured-merge-diff and
// k8s.io/apiserver fieldmanager). The REST layer calls `applyServerSide` for
// application/apply-patch+yaml PATCHes and `recordUpdate` for every other write.
export { applyServerSide, type ApplyOptions, LAST_APPLIED } from './apply.js';
export { recordUpdate, managerFromUserAgent, type UpdateOptions } from './update.js';
