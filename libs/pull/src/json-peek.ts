/** The parsed page when it is a JSON object, else null (the adapter will quarantine it). */
export function jsonObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.startsWith('\uFEFF') ? body.slice(1) : body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** How many items a list page holds under `key`; null when the page is not such a list. */
export function countItems(body: string, key: string): number | null {
  const list = jsonObject(body)?.[key];
  return Array.isArray(list) ? list.length : null;
}
