import { type Actor, type BoardSummary, type BoardSummarySource, requireBoardScope } from '#domain';

/**
 * The board's chain at a glance (counts only): for school boards, privacy officers and auditors. Counts only
 * what the caller's scope covers: a school's staff see their schools, not the whole board.
 */
export class ChainSummaryUseCase {
  constructor(private readonly source: BoardSummarySource) {}

  execute(actor: Actor): Promise<BoardSummary> {
    const scope = requireBoardScope(actor, 'read');
    return this.source.summary(scope.board, scope.schools);
  }
}
