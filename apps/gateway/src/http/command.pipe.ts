import type { PipeTransform } from '@nestjs/common';

/**
 * Reads a request body into the command its use case takes (ADR 0004, amendment): the body goes through the
 * use case's own parse function, which returns the typed command or throws its coded `ValidationError`
 * (`400` with the use case's code and issues, through `ProblemFilter`). Use it on bodies that have no
 * class-validator DTO: `@Body(new CommandPipe(parseReportDismissal)) dismissal: ReportDismissal`.
 *
 * The parameter's type must be a type or an interface, not a class, so the global validation pipe leaves the
 * body alone and this pipe is the only one that reads it.
 */
export class CommandPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly parse: (body: unknown) => T) {}

  transform(body: unknown): T {
    return this.parse(body);
  }
}
