import type { Policy } from './policy.types.js';

/**
 * The retention period (ISO 8601 duration) for a data category in a context: the category's own entry for
 * that context, else the category's `default`, else the policy's `retention.default`.
 */
export function retentionPeriod(policy: Policy, dataCategory: string, context: string): string {
  const periods = Object.hasOwn(policy.retention.categories, dataCategory)
    ? policy.retention.categories[dataCategory]
    : undefined;
  if (periods && Object.hasOwn(periods, context)) return periods[context];
  if (periods && Object.hasOwn(periods, 'default')) return periods['default'];
  return policy.retention.default;
}
