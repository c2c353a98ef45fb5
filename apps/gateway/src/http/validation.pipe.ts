import { ValidationPipe, type ValidationError as ClassValidatorError } from '@nestjs/common';
import { type ErrorIssue, ValidationError } from '#domain';
import { HTTP_ERRORS } from './http-error-codes.js';

/** Flattens class-validator's tree into one issue per bad field, named by its path (`records[2].date`). */
export function toIssues(errors: readonly ClassValidatorError[], parent = ''): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  for (const error of errors) {
    const isIndex = /^\d+$/.test(error.property);
    const path =
      parent === ''
        ? error.property
        : isIndex
          ? `${parent}[${error.property}]`
          : `${parent}.${error.property}`;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      issues.push({ field: path, code: constraintCode(constraint), message: stripValue(message) });
    }
    if (error.children && error.children.length > 0) issues.push(...toIssues(error.children, path));
  }
  return issues;
}

function constraintCode(constraint: string): string {
  return `FIELD_${constraint.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** class-validator messages name the property and the rule, not the value; keep it that way. */
function stripValue(message: string): string {
  return message.length > 200 ? message.slice(0, 200) : message;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new ValidationError(
        HTTP_ERRORS.REQUEST_INVALID,
        'The request was refused; nothing was stored',
        toIssues(errors),
      ),
  });
}
