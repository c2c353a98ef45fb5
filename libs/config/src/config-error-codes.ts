/**
 * The issue codes of a configuration file the loader refuses, in one catalogue. The strings are public (ADR 0004, shared/design/contracts.md): clients and operators branch on them, so they never change; new codes are added here.
 */
export const CONFIG_ERRORS = {
  FILE_UNREADABLE: 'FILE_UNREADABLE',
  YAML_SYNTAX: 'YAML_SYNTAX',
} as const;
