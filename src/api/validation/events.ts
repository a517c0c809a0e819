// Event validation as upstream core ValidateEventCreate for both APIs that serve Events. core/v1 keeps
// the legacy rules (the involved object's namespace must match the event's); events.k8s.io/v1 adds the
// strict ones (eventTime, type, reportingController, reportingInstance, action, reason required, the
// deprecated fields unset). Paths are upstream's internal field names (involvedObject, message, …).
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Event as EventsEvent } from 'kubernetes-types/events/v1.js';
import { invalid, required, type FieldError } from '../../machinery/field-errors.js';
import { isDNS1123Subdomain, isQualifiedName } from './names.js';
import { as, type KindRules } from './rules.js';

interface LegacyView {
  namespace: string;
  involvedNamespace: string;
  eventTime?: string;
  reportingController?: string;
  reportingInstance?: string;
  action?: string;
  reason?: string;
  message?: string;
}

function legacyValidate(e: LegacyView, reportingControllerField: string): FieldError[] {
  const errs: FieldError[] = [];
  const nsMismatch = () => invalid('involvedObject.namespace', e.involvedNamespace, 'does not match event.namespace');
  if (!e.eventTime) {
    if (!e.involvedNamespace) {
      if (e.namespace !== '' && e.namespace !== 'default') errs.push(nsMismatch());
    } else if (e.namespace !== e.involvedNamespace) errs.push(nsMismatch());
  } else {
    if (!e.involvedNamespace && e.namespace !== 'default' && e.namespace !== 'kube-system') errs.push(nsMismatch());
    if (!e.reportingController) errs.push(required(reportingControllerField, ''));
    for (const m of isQualifiedName(e.reportingController ?? '')) errs.push(invalid(reportingControllerField, e.reportingController ?? '', m));
    if (!e.reportingInstance) errs.push(required('reportingInstance', ''));
    if ((e.reportingInstance ?? '').length > 128) errs.push(invalid('reportingInstance', '', 'can have at most 128 characters'));
    if (!e.action) errs.push(required('action', ''));
    if ((e.action ?? '').length > 128) errs.push(invalid('action', '', 'can have at most 128 characters'));
    if (!e.reason) errs.push(required('reason', ''));
    if ((e.reason ?? '').length > 128) errs.push(invalid('reason', '', 'can have at most 128 characters'));
    if ((e.message ?? '').length > 1024) errs.push(invalid('message', '', 'can have at most 1024 characters'));
  }
  for (const m of isDNS1123Subdomain(e.namespace)) errs.push(invalid('namespace', e.namespace, m));
  return errs;
}

function validateCoreEvent(e: CoreEvent): FieldError[] {
  return legacyValidate(
    {
      namespace: e.metadata?.namespace ?? '',
      involvedNamespace: e.involvedObject?.namespace ?? '',
      eventTime: e.eventTime,
      reportingController: e.reportingComponent,
      reportingInstance: e.reportingInstance,
      action: e.action,
      reason: e.reason,
      message: e.message,
    },
    'reportingComponent',
  );
}

function validateEventsEvent(e: EventsEvent): FieldError[] {
  const errs = legacyValidate(
    {
      namespace: e.metadata?.namespace ?? '',
      involvedNamespace: e.regarding?.namespace ?? '',
      eventTime: e.eventTime,
      reportingController: e.reportingController,
      reportingInstance: e.reportingInstance,
      action: e.action,
      reason: e.reason,
      message: e.note,
    },
    'reportingController',
  );
  if (!e.eventTime) errs.push(required('eventTime', ''));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${e.type ?? ''}`));
  if (e.deprecatedFirstTimestamp) errs.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (e.deprecatedLastTimestamp) errs.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if (e.deprecatedCount) errs.push(invalid('count', '', 'needs to be unset'));
  if (e.deprecatedSource?.component || e.deprecatedSource?.host) errs.push(invalid('source', '', 'needs to be unset'));
  return errs;
}

export const eventRules: Record<string, KindRules> = {
  '/Event': { validate: (o) => validateCoreEvent(as(o)) },
  'events.k8s.io/Event': { validate: (o) => validateEventsEvent(as(o)) },
};
